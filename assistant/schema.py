"""JSON Schemas of shipmate's machine-readable outputs.

`python -m assistant.schema` rewrites docs/schema/*.schema.json; a test checks
that the committed files match the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tools.logs.report import DiagnosisReport
from tools.validation.report import ValidationReport


def diagnosis_schema() -> dict[str, Any]:
    """The JSON Schema of `shipmate diagnose --format json`."""
    schema = DiagnosisReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://shipmate.dev/schema/diagnosis.schema.json"
    return schema


def validation_schema() -> dict[str, Any]:
    """The JSON Schema of `shipmate validate --format json`."""
    schema = ValidationReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://shipmate.dev/schema/validation.schema.json"
    return schema


def review_schema() -> dict[str, Any]:
    """The JSON Schema of `shipmate review --format json`."""
    from tools.review.models import ReviewReport

    schema = ReviewReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://shipmate.dev/schema/review.schema.json"
    return schema


SCHEMAS = {
    "diagnosis.schema.json": diagnosis_schema,
    "validation.schema.json": validation_schema,
    "review.schema.json": review_schema,
}


def render(name: str) -> str:
    """A schema as the committed file's text."""
    return json.dumps(SCHEMAS[name](), indent=2, sort_keys=True) + "\n"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/schema")
    target.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        (target / name).write_text(render(name), encoding="utf-8")
        print(target / name)


if __name__ == "__main__":
    main()
