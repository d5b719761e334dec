"""Optional external scanners (checkov, tflint, conftest), run as programs when the user has them.

None is a dependency: when a named tool is not on PATH, the run gets a note instead.  Each tool
runs with an argv list, a timeout and JSON output, which is converted into `Finding`s whose id
is prefixed with the tool's name (`checkov:CKV_AWS_20`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.findings import Evidence, Finding, Reference, Severity

TOOL_TIMEOUT = 300
KNOWN_TOOLS = ("checkov", "tflint", "conftest")

_SEVERITIES = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "error": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "warning": Severity.MEDIUM,
    "low": Severity.LOW,
    "notice": Severity.LOW,
    "info": Severity.INFO,
}


def _severity(value: Any, default: Severity) -> Severity:
    return _SEVERITIES.get(str(value or "").lower(), default)


def _finding(
    tool: str,
    rule: str,
    title: str,
    severity: Severity,
    source: str,
    line: int,
    *,
    resource: str | None = None,
    url: str | None = None,
    text: str = "",
) -> Finding:
    return Finding(
        id=f"{tool}:{rule}",
        category=f"{tool}:{rule}",
        title=title,
        severity=severity,
        evidence=[Evidence(source=source, line=max(1, line), text=text or title)],
        explanation=f"Reported by {tool}.",
        references=[Reference(title=f"{tool} {rule}", path=url)] if url else [],
        confidence=0.8,
        engine="policy",
        resource=resource,
    )


def checkov_findings(document: Any, base: Path) -> list[Finding]:
    """Failed checks from `checkov -o json` (one report object, or a list of them per framework)."""
    reports = document if isinstance(document, list) else [document]
    found: list[Finding] = []
    for report in reports:
        results = report.get("results") if isinstance(report, dict) else None
        for item in (results or {}).get("failed_checks") or []:
            lines = item.get("file_line_range") or [1, 1]
            code = item.get("code_block") or []
            text = str(code[0][1]).strip() if code and isinstance(code[0], list) and len(code[0]) > 1 else ""
            found.append(
                _finding(
                    "checkov",
                    str(item.get("check_id", "?")),
                    str(item.get("check_name", "")),
                    _severity(item.get("severity"), Severity.MEDIUM),
                    _source(base, str(item.get("file_path", ""))),
                    int(lines[0] or 1),
                    resource=item.get("resource"),
                    url=item.get("guideline"),
                    text=text,
                )
            )
    return found


def tflint_findings(document: Any, base: Path) -> list[Finding]:
    """Issues from `tflint --format json`."""
    found: list[Finding] = []
    for issue in (document or {}).get("issues") or []:
        rule = issue.get("rule") or {}
        where = issue.get("range") or {}
        found.append(
            _finding(
                "tflint",
                str(rule.get("name", "?")),
                str(issue.get("message", "")),
                _severity(rule.get("severity"), Severity.LOW),
                _source(base, str(where.get("filename", ""))),
                int((where.get("start") or {}).get("line") or 1),
                url=rule.get("link"),
            )
        )
    return found


def conftest_findings(document: Any, base: Path) -> list[Finding]:
    """Failures (high) and warnings (medium) from `conftest test --output json`."""
    found: list[Finding] = []
    for result in document or []:
        source = _source(base, str(result.get("filename", "")))
        namespace = str(result.get("namespace", "main"))
        for key, severity in (("failures", Severity.HIGH), ("warnings", Severity.MEDIUM)):
            for item in result.get(key) or []:
                metadata = item.get("metadata") or {}
                rule = str(metadata.get("query") or f"data.{namespace}.{key}")
                found.append(_finding("conftest", rule, str(item.get("msg", "")), severity, source, 1))
    return found


def _source(base: Path, name: str) -> str:
    if not name:
        return str(base)
    path = Path(name.lstrip("/")) if name.startswith("/") and not Path(name).exists() else Path(name)
    return str(path if path.is_absolute() else base / path)


_COMMANDS: dict[str, tuple[Callable[[Path], list[str]], Callable[[Any, Path], list[Finding]]]] = {
    "checkov": (
        lambda d: ["-d", str(d), "-o", "json", "--quiet", "--framework", "terraform"],
        checkov_findings,
    ),
    "tflint": (lambda d: [f"--chdir={d}", "--format=json"], tflint_findings),
    "conftest": (lambda d: ["test", "--output", "json", str(d)], conftest_findings),
}


def run_external(
    tool: str, directory: Path, *, timeout: int = TOOL_TIMEOUT
) -> tuple[list[Finding], list[str]]:
    """Run one external scanner over a module directory: its findings, and notes about the run."""
    if tool not in _COMMANDS:
        return [], [f"{tool}: unknown external tool (known: {', '.join(KNOWN_TOOLS)})"]
    binary = shutil.which(tool)
    if binary is None:
        return [], [f"{tool} is not installed (not on PATH): its checks were skipped"]
    arguments, convert = _COMMANDS[tool]
    try:
        done = subprocess.run(
            [binary, *arguments(directory)], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return [], [f"{tool} did not finish within {timeout} s: its checks were skipped"]
    except OSError as error:
        return [], [f"{tool} could not be started ({error}): its checks were skipped"]
    try:
        document = json.loads(done.stdout)
    except ValueError:
        first = (done.stderr.strip().splitlines() or ["no JSON output"])[0]
        return [], [f"{tool} exited with code {done.returncode} without JSON output ({first[:200]})"]
    return convert(document, directory), []
