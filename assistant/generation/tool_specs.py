"""What the model is told and offered when it generates: the prompt and the two tools' schemas."""

from __future__ import annotations

from typing import Any

from tools.blueprints.model import Blueprint, Target

USE_BLUEPRINT = "use_blueprint"
WRITE_FILES = "write_files"

_TARGETS: dict[Target, dict[str, str]] = {
    "kubernetes": {
        "target_title": "Kubernetes manifests",
        "validation": "the Kubernetes JSON schemas and shipmate's security and reliability policies",
        "file_kinds": "YAML manifests, .yaml",
        "practice": "pinned image tags, requests and limits, probes, non-root, read-only root filesystem, "
        "dropped capabilities, no privilege escalation, labels and selectors that match",
        "suffixes": ".yaml .yml",
    },
    "terraform": {
        "target_title": "Terraform modules",
        "validation": "shipmate's HCL checks, its cloud security policies and `terraform fmt`",
        "file_kinds": "HCL, .tf and .tfvars, formatted as `terraform fmt` formats them",
        "practice": "pinned provider versions in required_providers, typed and described variables, outputs, "
        "encryption at rest, no public access unless asked, least-privilege IAM",
        "suffixes": ".tf .tfvars",
    },
    "compose": {
        "target_title": "Docker Compose files",
        "validation": "the Compose specification's schema and shipmate's Compose checks",
        "file_kinds": "a compose.yaml",
        "practice": "pinned image tags, a non-root user, read_only with tmpfs, cap_drop ALL, "
        "no-new-privileges, healthchecks, resource limits",
        "suffixes": ".yaml .yml",
    },
}


def suffixes(target: Target) -> tuple[str, ...]:
    """The file name endings the model may write for `target`."""
    return tuple(_TARGETS[target]["suffixes"].split())


def prompt_variables(target: Target, blueprints: list[Blueprint]) -> dict[str, Any]:
    """The variables of `generate.md.j2` for `target`."""
    return {**_TARGETS[target], "blueprints": blueprints}


def tool_schemas(blueprints: list[Blueprint]) -> list[dict[str, Any]]:
    """The OpenAI-style function schemas of `use_blueprint` and `write_files`."""
    use = {
        "type": "function",
        "function": {
            "name": USE_BLUEPRINT,
            "description": "Render a reviewed blueprint with parameters.",
            "parameters": {
                "type": "object",
                "properties": {
                    "blueprint": {"type": "string", "enum": [b.name for b in blueprints]},
                    "parameters": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "Parameter name to value, as strings.",
                    },
                },
                "required": ["blueprint", "parameters"],
            },
        },
    }
    write = {
        "type": "function",
        "function": {
            "name": WRITE_FILES,
            "description": "Write complete files when no blueprint covers the request.",
            "parameters": {
                "type": "object",
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
                            "required": ["path", "content"],
                        },
                    }
                },
                "required": ["files"],
            },
        },
    }
    return [use, write] if blueprints else [write]
