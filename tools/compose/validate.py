"""Validate Compose files (placeholder until the Compose validator lands in this issue)."""

from __future__ import annotations

from tools.validation.report import ValidationReport


def validate_compose_text(text: str, label: str) -> ValidationReport:
    """Validate the Compose file `text` (shown as `label`)."""
    raise NotImplementedError("Compose validation is being written")
