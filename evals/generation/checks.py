"""Checks on generated files, in the style of public generation benchmarks.

Kubernetes (objects from every YAML file but kustomization files):
  {kind: Deployment}                                       an object of that kind exists
  {path: Deployment.spec.replicas, equals: 3}               first object of the kind; dotted path, [n] indexes
  {path: CronJob.spec.schedule, contains: "*/15"}           substring of the value
  {image: nginx:1.27}                                       some container or init container runs it
  {port: 80}                                                a Service port, or a container port, is 80
Compose (the parsed file):
  {path: services.web.deploy.replicas, equals: 3}
Terraform (every .tf file of the module with its tfvars; values of `var.x` resolved):
  {resource: aws_s3_bucket}                                 a resource of that type exists
  {attribute: aws_db_instance.multi_az, equals: true}       on some resource of that type
  {variable: region, equals: eu-west-1}                     the module's input as generated
Values compare as text, case-insensitively ("true" equals True, "3" equals 3).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tools.blueprints.model import GeneratedFile
from tools.terraform.model import Module

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def run_check(check: dict[str, Any], target: str, files: list[GeneratedFile]) -> str | None:
    """None when `check` holds for `files`, else why it does not."""
    if target == "terraform":
        return _terraform_check(check, files)
    documents = _documents(files)
    if target == "compose":
        return _compare(_walk(documents[0] if documents else {}, check["path"]), check)
    return _kubernetes_check(check, documents)


def _documents(files: list[GeneratedFile]) -> list[Any]:
    found: list[Any] = []
    for generated in files:
        if generated.path.endswith((".yaml", ".yml")) and not generated.path.endswith(
            ("kustomization.yaml", "kustomization.yml")
        ):
            found.extend(d for d in yaml.safe_load_all(generated.text) if d is not None)
    return found


def _kubernetes_check(check: dict[str, Any], objects: list[Any]) -> str | None:
    if "kind" in check:
        kinds = [o.get("kind") for o in objects if isinstance(o, dict)]
        return None if check["kind"] in kinds else f"no {check['kind']} among {sorted(set(map(str, kinds)))}"
    if "image" in check:
        images = [c.get("image") for c in _containers(objects)]
        return None if check["image"] in images else f"image {check['image']} not among {images}"
    if "port" in check:
        services = [o for o in objects if isinstance(o, dict) and o.get("kind") == "Service"]
        ports = {p.get("port") for s in services for p in (s.get("spec") or {}).get("ports") or []}
        ports |= {p.get("containerPort") for c in _containers(objects) for p in c.get("ports") or []}
        return None if check["port"] in ports else f"port {check['port']} not among {sorted(map(str, ports))}"
    kind, _, path = check["path"].partition(".")
    chosen = next((o for o in objects if isinstance(o, dict) and o.get("kind") == kind), None)
    if chosen is None:
        return f"no {kind}"
    return _compare(_walk(chosen, path), check)


def _containers(objects: list[Any]) -> Iterator[dict[str, Any]]:
    for node in objects:
        yield from _find_containers(node)


def _find_containers(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("containers", "initContainers") and isinstance(value, list):
                yield from (c for c in value if isinstance(c, dict))
            else:
                yield from _find_containers(value)
    elif isinstance(node, list):
        for item in node:
            yield from _find_containers(item)


def _walk(node: Any, path: str) -> Any:
    for name, index in _STEP.findall(path):
        if name:
            node = node.get(name) if isinstance(node, dict) else None
        else:
            node = node[int(index)] if isinstance(node, list) and int(index) < len(node) else None
        if node is None:
            return None
    return node


def _subject(check: dict[str, Any]) -> str:
    return str(check.get("path") or check.get("attribute") or check.get("variable"))


def _compare(value: Any, check: dict[str, Any]) -> str | None:
    if value is None:
        return f"{_subject(check)}: absent"
    shown = str(value).lower()
    if "equals" in check and shown != str(check["equals"]).lower():
        return f"{_subject(check)} is {value!r}, not {check['equals']!r}"
    if "contains" in check and str(check["contains"]).lower() not in shown:
        return f"{_subject(check)} is {value!r}, without {check['contains']!r}"
    return None


def _terraform_check(check: dict[str, Any], files: list[GeneratedFile]) -> str | None:
    from tools.terraform.values import Scope, get

    module = _module(files)
    scope = Scope.of(module)
    if "variable" in check:
        return _compare(scope.variables.get(check["variable"]), check)
    resource_type, _, path = (check.get("resource") or check["attribute"]).partition(".")
    blocks = list(module.of_type("resource", resource_type))
    if not blocks:
        return f"no resource {resource_type}"
    if "resource" in check:
        return None
    reasons = [_compare(get(block, path, scope)[0], check) for block in blocks]
    return None if None in reasons else reasons[0]


def _module(files: list[GeneratedFile]) -> Module:
    """The generated module as shipmate's Terraform checks read it, with its .tfvars values."""
    from tools.terraform.hcl_reader import parse_hcl

    module = Module(Path("."))
    for generated in files:
        if generated.path.endswith(".tf"):
            module.blocks.extend(parse_hcl(generated.text, generated.path))
        elif generated.path.endswith(".tfvars"):
            for block in parse_hcl(generated.text, generated.path):
                if block.type == "":
                    module.tfvars.update(block.attrs)
    return module
