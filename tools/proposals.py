"""Proposals: every change shipmate would make, as data a human approves before anything happens.

A file edit carries the whole new text, the unified diff a human reads, and the
sha256 of the file it was computed against. Applying it is atomic (temp file and
rename in the same folder), refuses a file that changed since the proposal was made
(the stale check), and refuses any path outside the root it was proposed for.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from tools.errors import InputError


class FileEdit(BaseModel):
    """A new text for one file."""

    path: str = Field(description="Path relative to the root the proposal was made for.")
    original_sha256: str | None = Field(description="sha256 of the file when proposed; None for a new file.")
    new_text: str
    diff: str = Field(description="Unified diff from the original to the new text.")


class Proposal(BaseModel):
    """A change awaiting approval: a file edit or an argv command."""

    id: str = Field(description="Stable short id, named by `--yes ID` to approve non-interactively.")
    title: str
    rationale: str = ""
    kind: Literal["file_edit", "command"]
    edit: FileEdit | None = None
    argv: list[str] | None = None
    origin: str = Field(default="", description="What proposed it: a policy id, the agent, ...")


def sha256_text(text: str) -> str:
    """The sha256 of `text` as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unified_diff(path: str, old: str, new: str) -> str:
    """A git-style unified diff of `old` to `new` for `path`."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
        )
    )


def file_edit_proposal(
    root: Path, path: Path, new_text: str, title: str, rationale: str = "", origin: str = ""
) -> Proposal:
    """A proposal to replace the text of `path` (inside `root`) by `new_text`."""
    relative = confined(root, path)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    edit = FileEdit(
        path=relative.as_posix(),
        original_sha256=sha256_text(old) if path.exists() else None,
        new_text=new_text,
        diff=unified_diff(relative.as_posix(), old, new_text),
    )
    digest = sha256_text(f"{edit.path}\n{edit.original_sha256}\n{new_text}")[:8]
    return Proposal(
        id=f"edit-{digest}", title=title, rationale=rationale, kind="file_edit", edit=edit, origin=origin
    )


def confined(root: Path, path: Path) -> Path:
    """`path` relative to `root`; refuses anything that resolves outside it (.., symlinks)."""
    resolved_root = root.resolve()
    resolved = (path if path.is_absolute() else resolved_root / path).resolve()
    try:
        return resolved.relative_to(resolved_root)
    except ValueError as err:
        raise InputError(
            str(path), f"outside {resolved_root}: shipmate only changes files inside it"
        ) from err


def apply_file_edit(root: Path, edit: FileEdit) -> Path:
    """Write the edit atomically after the confinement and stale checks; returns the path written."""
    relative = confined(root, Path(edit.path))
    target = root.resolve() / relative
    current = target.read_text(encoding="utf-8") if target.exists() else None
    current_sha = sha256_text(current) if current is not None else None
    if current_sha != edit.original_sha256:
        raise InputError(str(target), "changed since the fix was proposed; nothing written (propose again)")
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(edit.new_text)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
