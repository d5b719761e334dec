"""The blueprint reference (docs/blueprints.md), written from the blueprints themselves.

python -m tools.blueprints.reference > docs/blueprints.md
"""

from __future__ import annotations

from tools.blueprints.registry import all_blueprints

_TARGETS = {
    "kubernetes": "Kubernetes (`shipmate generate k8s`)",
    "terraform": "Terraform (`shipmate generate terraform`)",
}
_TARGETS["compose"] = "Docker Compose and Swarm (`shipmate generate compose`)"


def reference_markdown() -> str:
    """Every blueprint: title, an example ask, and its parameters with defaults and choices."""
    lines = [
        "# Blueprints",
        "",
        "Written from the blueprints themselves (`tools/blueprints/reference.py`); a test keeps",
        "this file in step: `UPDATE_GOLDEN=1 pytest tests/integration/test_blueprints.py -k reference`",
        "rewrites it. Every example of every blueprint validates with no errors and no high",
        "findings (`tests/integration/test_blueprints.py`). How generation works:",
        "[generation.md](generation.md).",
    ]
    blueprints = all_blueprints()
    for target, heading in _TARGETS.items():
        chosen = [b for b in blueprints.values() if b.target == target]
        if not chosen:
            continue
        lines += ["", f"## {heading}"]
        for blueprint in chosen:
            lines += ["", f"### `{blueprint.name}`", "", blueprint.title + "."]
            if blueprint.example_ask:
                lines += ["", f'Example: `shipmate generate {_word(target)} "{blueprint.example_ask}"`']
            lines += ["", "| parameter | meaning | default |", "|---|---|---|"]
            for parameter in blueprint.parameters:
                default = "required" if parameter.required else f"`{parameter.default!r}`"
                meaning = parameter.help.replace("|", "\\|")
                if parameter.choices:
                    meaning += f" (one of: {', '.join(parameter.choices)})"
                lines.append(f"| `{parameter.name}` | {meaning} | {default} |")
    return "\n".join(lines) + "\n"


def _word(target: str) -> str:
    return {"kubernetes": "k8s"}.get(target, target)
