"""JUnit XML output of a validation report: one test case per finding, CI systems show them as failures."""

from __future__ import annotations

from xml.etree import ElementTree

from tools.findings import Severity
from tools.validation.report import ValidationReport


def to_junit(report: ValidationReport, fail_on: Severity) -> str:
    """Findings at or above `fail_on` are failures; the rest are passed test cases with their text."""
    suite = ElementTree.Element(
        "testsuite",
        name="shipmate validate",
        tests=str(max(len(report.findings), 1)),
        failures=str(sum(1 for f in report.findings if f.severity.at_least(fail_on))),
        errors="0",
        time=f"{report.seconds:.3f}",
    )
    if not report.findings:
        ElementTree.SubElement(suite, "testcase", classname="shipmate", name="no findings")
    for finding in report.findings:
        where = finding.evidence[0] if finding.evidence else None
        location = f"{where.source}:{where.line}" if where else ""
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=finding.resource or (where.source if where else "shipmate"),
            name=f"{finding.id} {location}".strip(),
        )
        if finding.severity.at_least(fail_on):
            failure = ElementTree.SubElement(
                case, "failure", message=finding.title, type=finding.severity.value
            )
            failure.text = "\n".join(x for x in (finding.explanation, f"Fix: {finding.fix}") if x)
        else:
            ElementTree.SubElement(case, "system-out").text = finding.title
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
