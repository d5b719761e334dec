"""Manifests to start from, for a service the change adds (a new Dockerfile) with nothing to deploy it."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from tools.review.models import ChangedFile, GeneratedManifests

BLUEPRINT = "k8s-web-service"
_DEPLOYING = ("kubernetes", "helm", "kustomize", "compose")
_EXPOSE = re.compile(r"^\s*EXPOSE\s+(\d{1,5})", re.M | re.I)
_MAX_SERVICES = 5


def generate_for_new_services(
    tree: Path, changes: list[ChangedFile], repository_name: str, head: str
) -> list[GeneratedManifests]:
    """A validated web-service blueprint for each folder whose Dockerfile the change adds.

    Only when the change adds no deployment files at all, and the folder has none: a
    change that brings its own manifests, chart or Compose file needs no starting point.
    """
    if any(c.kind in _DEPLOYING for c in changes):
        return []
    generated: list[GeneratedManifests] = []
    for change in changes:
        posix = PurePosixPath(change.path)
        if change.status != "added" or posix.name != "Dockerfile":
            continue
        folder = posix.parent.as_posix()
        folder = "" if folder == "." else folder
        if _has_deployment_files(tree / folder) or len(generated) >= _MAX_SERVICES:
            continue
        service = _dns_label(posix.parent.name if folder else repository_name)
        if service:
            generated.append(_generate(tree / change.path, folder or ".", service, head))
    return generated


def _generate(dockerfile: Path, folder: str, service: str, head: str) -> GeneratedManifests:
    from tools.blueprints.registry import generate_blueprint

    parameters = {"name": service, "image": f"{service}:{head[:12]}"}
    try:
        exposed = _EXPOSE.search(dockerfile.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        exposed = None
    if exposed and 0 < int(exposed.group(1)) < 65536:
        parameters["port"] = exposed.group(1)
    result = generate_blueprint(BLUEPRINT, parameters)
    problems = (
        result.validation.counts.invalid + result.validation.counts.errors + len(result.validation.findings)
    )
    port = parameters.get("port", "the blueprint's default port")
    return GeneratedManifests(
        service=folder,
        reason=f"the change adds {folder}/Dockerfile and no manifests to deploy it (port {port})",
        blueprint=BLUEPRINT,
        parameters={key: str(value) for key, value in result.parameters.items()},
        files={generated.path: generated.text for generated in result.files},
        problems=problems,
    )


def _has_deployment_files(folder: Path) -> bool:
    from tools.review.units import YAML_SUFFIXES, looks_like_kubernetes

    for path in folder.rglob("*"):
        name = path.name
        if name in ("Chart.yaml", "kustomization.yaml", "kustomization.yml") or name.startswith(
            ("compose.", "docker-compose")
        ):
            return True
        if path.suffix in YAML_SUFFIXES and path.is_file() and looks_like_kubernetes(path):
            return True
    return False


def _dns_label(text: str) -> str:
    label = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    return label[:63].rstrip("-")
