"""SARIF 2.1.0 output of a validation report (GitHub code scanning and other SARIF readers)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from tools.findings import Finding, Severity
from tools.validation.report import ValidationReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/shipmate-dev/shipmate"
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def to_sarif(report: ValidationReport) -> str:
    """The report as a SARIF 2.1.0 log with one run; rules are the policies that fired."""
    return sarif_log(report.findings)


def sarif_log(findings: Sequence[Finding]) -> str:
    """`findings` as a SARIF 2.1.0 log with one run, located at their first evidence line."""
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for finding in findings:
        rules.setdefault(finding.id, _rule(finding))
        results.append(_result(finding))
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "shipmate",
                        "version": version("shipmate"),
                        "informationUri": INFORMATION_URI,
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.id,
        "shortDescription": {"text": finding.title},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {"severity": finding.severity.value, "engine": finding.engine},
    }
    if finding.explanation:
        rule["fullDescription"] = {"text": finding.explanation}
    if finding.fix:
        rule["help"] = {"text": finding.fix}
    if finding.references and finding.references[0].path.startswith("http"):
        rule["helpUri"] = finding.references[0].path
    return rule


def _result(finding: Finding) -> dict[str, Any]:
    text = f"{finding.resource}: {finding.title}" if finding.resource else finding.title
    result: dict[str, Any] = {
        "ruleId": finding.id,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
    }
    if finding.evidence:
        where = finding.evidence[0]
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(where.source)},
                    "region": {"startLine": where.line},
                }
            }
        ]
    return result


def _uri(source: str) -> str:
    """A relative path stays relative (SARIF readers resolve it against the repository)."""
    path = Path(source)
    return path.as_posix() if not path.is_absolute() else path.as_uri()
