"""What a blueprint is: documented parameters, and a function that renders files from them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from tools.blueprints.value_checks import check_value
from tools.errors import InputError

Kind = Literal["str", "int", "bool"]
Target = Literal["kubernetes", "terraform", "compose"]


@dataclass(frozen=True)
class Parameter:
    """One input of a blueprint, with its type, default and meaning."""

    name: str
    kind: Kind
    help: str
    default: Any = None
    required: bool = False
    minimum: int | None = None
    choices: tuple[str, ...] = ()

    def parse(self, raw: Any) -> Any:
        """`raw` (text from --set or the intent parser, or a value) as this parameter's type."""
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("true", "yes", "on", "1"):
                return True
            if text in ("false", "no", "off", "0"):
                return False
            raise InputError(f"--set {self.name}", f"{raw!r} is not true or false")
        if self.kind == "int":
            try:
                value = int(str(raw).strip())
            except ValueError as err:
                raise InputError(f"--set {self.name}", f"{raw!r} is not a whole number") from err
            if self.minimum is not None and value < self.minimum:
                raise InputError(f"--set {self.name}", f"{value} is below the minimum {self.minimum}")
            return value
        text = str(raw).strip()
        if not text:
            if self.required:
                raise InputError(f"--set {self.name}", "empty")
            return self.default
        if self.choices and text.lower() not in self.choices:
            raise InputError(f"--set {self.name}", f"{text!r} is not one of: {', '.join(self.choices)}")
        return text.lower() if self.choices else text


@dataclass(frozen=True)
class GeneratedFile:
    """One rendered file."""

    path: str
    text: str


@dataclass(frozen=True)
class Blueprint:
    """A named template for one kind of service or infrastructure.

    `keywords` are case-insensitive regular expressions: the offline intent parser picks
    the blueprint whose keywords an ask matches most. `extract` reads this blueprint's own
    parameters from the ask's words (the shared ones, such as image, replicas, port,
    namespace, name and region, are read for every blueprint). `examples` are parameter
    sets that the tests render and validate (the first is the golden file), and
    `example_ask` is shown when an ask is not understood.
    """

    name: str
    target: Target
    title: str
    parameters: tuple[Parameter, ...]
    render: Callable[[dict[str, Any]], list[GeneratedFile]] = field(repr=False)
    keywords: tuple[str, ...] = ()
    extract: Callable[[str], dict[str, Any]] | None = field(default=None, repr=False)
    examples: tuple[dict[str, Any], ...] = ()
    example_ask: str = ""

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter's value: the given ones parsed, the others defaulted; unknown names refused."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise InputError(
                f"--set {unknown[0]}", f"{self.name} has no such parameter; it takes: {', '.join(known)}"
            )
        values: dict[str, Any] = {}
        for parameter in self.parameters:
            if parameter.name in given and given[parameter.name] is not None:
                values[parameter.name] = parameter.parse(given[parameter.name])
                check_value(self.target, parameter.name, values[parameter.name])
            elif parameter.required:
                raise InputError(f"--set {parameter.name}", f"{self.name} needs it: {parameter.help}")
            else:
                values[parameter.name] = parameter.default
        return values
