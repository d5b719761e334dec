"""Turn the paths a user names into modules: directories, `.tf` files and `.tfvars` files.

A directory is a module (all its `.tf` files together, plus `terraform.tfvars` and
`*.auto.tfvars` as Terraform itself loads them).  A `.tf` file is judged inside its directory's
module, the other files there being read for declarations only.  `.tfvars` files named on the
command line give variable values to every module of the run.

Bad input: a path named by the user that is missing, unreadable, binary or not UTF-8 stops the
run (`InputError`); one bad file found inside a directory is an ERROR result and the run goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.errors import InputError
from tools.terraform.hcl_reader import HclSyntaxError, parse_hcl, read_text
from tools.terraform.model import Module, SourceFile
from tools.validation.report import ResourceResult, ResourceStatus


@dataclass
class Loaded:
    """Modules ready to check, plus files that could not be used and remarks."""

    modules: list[Module] = field(default_factory=list)
    errors: list[ResourceResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0


def _is_tfvars(path: Path) -> bool:
    return path.name.endswith(".tfvars")


def _auto_tfvars(directory: Path) -> list[Path]:
    found = [directory / "terraform.tfvars"] if (directory / "terraform.tfvars").is_file() else []
    return found + sorted(directory.glob("*.auto.tfvars"))


def load(paths: Sequence[Path]) -> Loaded:
    """Read every input; raise InputError when a named path cannot be used at all."""
    loaded = Loaded()
    modules: dict[Path, Module] = {}
    tfvars: dict[str, Any] = {}
    for path in paths:
        shown = str(path)
        if not path.exists():
            raise InputError(shown, "no such file or directory")
        if path.is_dir():
            tf_files = sorted(p for p in path.glob("*.tf") if p.is_file())
            if not tf_files:
                raise InputError(shown, "contains no .tf files (a directory is read as one Terraform module)")
            module = modules.setdefault(path.resolve(), Module(path))
            module.focus.update(str(p) for p in tf_files)
        elif _is_tfvars(path):
            tfvars.update(_read_tfvars(path, shown, loaded, named=True))
        elif path.suffix == ".tf":
            module = modules.setdefault(path.parent.resolve(), Module(path.parent))
            module.focus.add(str(path))
            read_text(path, shown)  # a named file that cannot be read stops the run here
        else:
            raise InputError(shown, "is not a Terraform file (expected a directory, .tf or .tfvars)")
    for module in modules.values():
        _read_module(module, loaded)
        for extra in _auto_tfvars(module.directory):
            module.tfvars.update(_read_tfvars(extra, str(extra), loaded, named=False))
        module.tfvars.update(tfvars)
        loaded.modules.append(module)
    return loaded


def _read_module(module: Module, loaded: Loaded) -> None:
    for path in sorted(p for p in module.directory.glob("*.tf") if p.is_file()):
        shown = str(path)
        judged = shown in module.focus
        try:
            text = read_text(path, shown)
        except InputError as error:
            if judged:
                loaded.files += 1
                loaded.errors.append(
                    ResourceResult(
                        source=shown,
                        line=1,
                        resource=path.name,
                        status=ResourceStatus.ERROR,
                        messages=[error.problem],
                    )
                )
            else:
                loaded.notes.append(f"{shown}: skipped ({error.problem})")
            continue
        if judged:
            loaded.files += 1
            if not text.strip():
                loaded.notes.append(f"{shown}: empty file")
        module.files.append(SourceFile(path, shown, text.splitlines()))
        try:
            module.blocks.extend(parse_hcl(text, shown))
        except HclSyntaxError as error:
            if judged:
                loaded.errors.append(
                    ResourceResult(
                        source=shown,
                        line=error.line,
                        resource=path.name,
                        status=ResourceStatus.ERROR,
                        messages=[str(error)],
                    )
                )
            else:
                loaded.notes.append(f"{shown}: not checked, {error}")
    if any(module.directory.glob("*.tf.json")):
        loaded.notes.append(f"{module.directory}: .tf.json files are not read by shipmate's own checks")


def _read_tfvars(path: Path, shown: str, loaded: Loaded, *, named: bool) -> dict[str, Any]:
    try:
        text = read_text(path, shown)
    except InputError:
        if named:
            raise
        loaded.notes.append(f"{shown}: skipped (cannot be read as UTF-8 text)")
        return {}
    loaded.files += 1
    try:
        blocks = parse_hcl(text, shown)
    except HclSyntaxError as error:
        loaded.errors.append(
            ResourceResult(
                source=shown,
                line=error.line,
                resource=path.name,
                status=ResourceStatus.ERROR,
                messages=[str(error)],
            )
        )
        return {}
    values: dict[str, Any] = {}
    for block in blocks:
        if block.type == "":
            values.update(block.attrs)
    return values
