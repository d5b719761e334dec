"""Every kustomization in a tree: the files it reads and the kustomizations built on it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_MAX_BYTES = 1_000_000
# Fields whose entries are paths (files, or folders holding another kustomization).
_PATH_LISTS = ("resources", "bases", "components", "crds", "patchesStrategicMerge")
_PATH_ENTRIES = ("patches", "patchesJson6902", "replacements")
_GENERATORS = ("configMapGenerator", "secretGenerator")


@dataclass
class KustomizeIndex:
    """Kustomizations by folder (repository-relative POSIX paths; '' is the root)."""

    files: dict[str, set[str]] = field(default_factory=dict)
    bases: dict[str, set[str]] = field(default_factory=dict)
    remote: set[str] = field(default_factory=set)
    unreadable: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, tree: Path) -> KustomizeIndex:
        """Read every kustomization file under `tree` (hidden folders skipped)."""
        index = cls()
        for folder, subfolders, names in os.walk(tree):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in names:
                if name in KUSTOMIZATION_NAMES:
                    index._add(tree, Path(folder), Path(folder) / name)
        return index

    def owners(self, path: str) -> set[str]:
        """Kustomization folders that read the file `path` directly."""
        return {folder for folder, files in self.files.items() if path in files}

    def affected(self, path: str) -> set[str]:
        """Kustomizations to render again when `path` changes: its owners and everything built on them."""
        posix = PurePosixPath(path)
        start = {_folder(posix.parent)} if posix.name in KUSTOMIZATION_NAMES else self.owners(path)
        result = {folder for folder in start if folder in self.files}
        pending = list(result)
        while pending:
            base = pending.pop()
            for folder, bases in self.bases.items():
                if base in bases and folder not in result:
                    result.add(folder)
                    pending.append(folder)
        return result

    def _add(self, tree: Path, folder: Path, path: Path) -> None:
        import yaml

        key = _folder(PurePosixPath(folder.relative_to(tree).as_posix()))
        self.files[key] = {path.relative_to(tree).as_posix()}
        self.bases[key] = set()
        try:
            if path.stat().st_size > _MAX_BYTES:
                raise ValueError(f"larger than {_MAX_BYTES} bytes")
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError) as err:
            self.unreadable[key] = str(err).splitlines()[0] if str(err) else type(err).__name__
            return
        if not isinstance(document, dict):
            self.unreadable[key] = "not a mapping"
            return
        for entry in _entries(document):
            if "://" in entry or entry.startswith(("github.com/", "git@")) or "?ref=" in entry:
                self.remote.add(key)
                continue
            target = (folder / entry).resolve()
            if not target.is_relative_to(tree.resolve()):
                continue
            relative = target.relative_to(tree.resolve()).as_posix()
            if target.is_dir():
                self.bases[key].add(_folder(PurePosixPath(relative)))
            else:
                self.files[key].add(relative)


def _entries(document: dict[str, Any]) -> list[str]:
    """Every local path a kustomization names."""
    found: list[str] = []
    for name in _PATH_LISTS:
        found.extend(v for v in _list(document.get(name)) if isinstance(v, str))
    for name in _PATH_ENTRIES:
        found.extend(v["path"] for v in _list(document.get(name)) if isinstance(v, dict) and "path" in v)
    for name in _GENERATORS:
        for generator in _list(document.get(name)):
            if isinstance(generator, dict):
                files = [f.split("=", 1)[-1] for f in _list(generator.get("files")) if isinstance(f, str)]
                envs = [e for e in _list(generator.get("envs")) if isinstance(e, str)]
                found.extend(files + envs)
    return [entry for entry in found if isinstance(entry, str) and entry]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _folder(path: PurePosixPath) -> str:
    text = path.as_posix()
    return "" if text == "." else text
