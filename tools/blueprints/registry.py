"""The blueprints shipmate knows, and `generate_blueprint`: render, then validate what was rendered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tools.blueprints.k8s_web_service import WEB_SERVICE
from tools.blueprints.model import Blueprint, GeneratedFile
from tools.errors import InputError
from tools.validation.report import ValidationReport

BLUEPRINTS: dict[str, Blueprint] = {blueprint.name: blueprint for blueprint in (WEB_SERVICE,)}


@dataclass(frozen=True)
class Generated:
    """Rendered files, the parameters used, and the validation of the result."""

    blueprint: str
    parameters: dict[str, Any]
    files: list[GeneratedFile]
    validation: ValidationReport


def blueprint(name: str) -> Blueprint:
    """The blueprint `name`, or a clear error listing the ones there are."""
    if name not in BLUEPRINTS:
        raise InputError("blueprint", f"{name!r} is not one of: {', '.join(sorted(BLUEPRINTS))}")
    return BLUEPRINTS[name]


def generate_blueprint(name: str, parameters: Mapping[str, Any]) -> Generated:
    """Render blueprint `name` with `parameters` and validate the result (for the CLI and the agent)."""
    chosen = blueprint(name)
    values = chosen.resolve(parameters)
    files = chosen.render(values)
    report = ValidationReport(target=chosen.target)
    if chosen.target == "kubernetes":
        from tools.k8s.validate import validate_k8s_text

        for generated in files:
            report.merge(validate_k8s_text(generated.text, label=generated.path))
    return Generated(chosen.name, values, files, report)
