"""JSON rendering: the documented, stable contract (docs/output-schema.md)."""

from __future__ import annotations

from pydantic import BaseModel


def to_json(model: BaseModel) -> str:
    """Serialise a report model with stable key order and two-space indentation."""
    return model.model_dump_json(indent=2) + "\n"
