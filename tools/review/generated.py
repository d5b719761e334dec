"""Manifests to start from, for a service the change adds (a new Dockerfile) with nothing to deploy it."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from tools.review.models import ChangedFile, GeneratedManifests

BLUEPRINT = "k8s-web-service"
_DEPLOYING = ("kubernetes", "helm", "kustomize", "compose")
_EXPOSE = re.compile(r"^\s*EXPOSE\s+(\d{1,5})", re.M | re.I)
_MAX_SERVICES = 5
_MAX_SCANNED = 5_000  # YAML files looked at for a mention of the service
_MAX_READ = 262_144


def generate_for_new_services(
    tree: Path, changes: list[ChangedFile], repository_name: str, head: str
) -> list[GeneratedManifests]:
    """A validated web-service blueprint for each folder whose Dockerfile the change adds.

    Only when nothing deploys the service yet: no manifests, chart, kustomization or Compose
    file in its folder, and none elsewhere in the repository naming it.
    """
    generated: list[GeneratedManifests] = []
    for change in changes:
        posix = PurePosixPath(change.path)
        if change.status != "added" or posix.name != "Dockerfile":
            continue
        folder = posix.parent.as_posix()
        folder = "" if folder == "." else folder
        service = _dns_label(posix.parent.name if folder else repository_name)
        if not service or len(generated) >= _MAX_SERVICES or _has_deployment_files(tree / folder):
            continue
        if not _deployed_elsewhere(tree, service):
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


def _deployed_elsewhere(tree: Path, service: str) -> bool:
    """True when a deployment file anywhere in `tree` names `service` (in its path or its text).

    Word matching errs towards "deployed": a false match only means no starting point.
    """
    from tools.review.units import YAML_SUFFIXES

    word = re.compile(rf"(?<![\w-]){re.escape(service)}(?![\w-])")
    for seen, path in enumerate(p for p in tree.rglob("*") if p.suffix in YAML_SUFFIXES):
        if seen >= _MAX_SCANNED:
            return True  # too big to be sure: better no starting point than a duplicate
        if any(part.startswith(".") for part in path.relative_to(tree).parts) or not path.is_file():
            continue
        if word.search(path.relative_to(tree).as_posix()) and _has_deployment_files(path.parent):
            return True
        try:
            text = path.read_text(encoding="utf-8", errors="replace")[:_MAX_READ]
        except OSError:
            continue
        if word.search(text) and _is_deployment_text(path.name, text):
            return True
    return False


def _is_deployment_text(name: str, text: str) -> bool:
    kubernetes = re.search(r"^apiVersion\s*:", text, re.M) and re.search(r"^kind\s*:", text, re.M)
    return bool(kubernetes) or name.startswith(("compose.", "docker-compose")) or "{{" in text


def _dns_label(text: str) -> str:
    label = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    return label[:63].rstrip("-")
