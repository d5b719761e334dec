"""The agent's tools: `tools/` functions wrapped for the model, reading only inside the workspace.

Every result that carries outside text (logs, files, documents) is redacted and fenced
as untrusted data. The two tools that would change something only make a proposal;
the approver decides, and nothing happens on a "no".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.agent.cluster_tools import cluster_tools
from assistant.agent.repo_tools import repository_tools
from assistant.agent.review import APPROVED, decision_key
from assistant.agent.session import AgentSession
from assistant.agent.untrusted import fence
from tools.errors import InputError

MAX_SEARCH_MATCHES = 50


def agent_tools(session: AgentSession) -> list[Callable[..., str]]:
    """The tool functions bound to `session` (plain functions: names, type hints and docstrings)."""
    return [
        *_reading_tools(session),
        *repository_tools(session),
        *cluster_tools(session),
        *_checking_tools(session),
        *_proposing_tools(session),
    ]


def _reading_tools(session: AgentSession) -> list[Callable[..., str]]:

    def diagnose_logs(path: str, budget_tokens: int = 1200) -> str:
        """Diagnose a log file or folder offline: the likely root causes with their decisive lines.

        Args:
            path: file or folder inside the workspace.
            budget_tokens: how long the evidence pack may be.
        """
        from tools.logs.diagnose import DiagnoseOptions, diagnose
        from tools.logs.evidence_pack import build_pack

        report = diagnose([str(session.path(path))], DiagnoseOptions())
        pack = build_pack(report, max(200, min(budget_tokens, session.tool_output_tokens)))
        return fence(pack.text, path, "diagnosis", session.redactor)

    def read_log_lines(path: str, start_line: int, count: int = 40) -> str:
        """Read `count` lines of a text file from `start_line` (1-based), numbered.

        Args:
            path: file inside the workspace.
            start_line: first line to show.
            count: how many lines (at most 200).
        """
        target = session.path(path)
        count = max(1, min(count, 200))
        lines: list[str] = []
        with target.open("r", encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if number >= start_line:
                    lines.append(f"{number}: {line.rstrip()[:500]}")
                if len(lines) >= count:
                    break
        return fence("\n".join(lines) or "(no lines there)", path, "file", session.redactor)

    def search_logs(path: str, pattern: str, max_matches: int = 30) -> str:
        """Lines of a file that match a regular expression (RE2 syntax), as `line: text`.

        Args:
            path: file inside the workspace.
            pattern: regular expression, e.g. `timeout|refused`.
            max_matches: most matches to return (at most 50).
        """
        import re2

        try:
            compiled = re2.compile(pattern)
        except re2.error as err:
            return f"invalid pattern: {err}"
        found: list[str] = []
        with session.path(path).open("r", encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if compiled.search(line):
                    found.append(f"{number}: {line.rstrip()[:500]}")
                    if len(found) >= min(max_matches, MAX_SEARCH_MATCHES):
                        break
        return fence("\n".join(found) or "(no match)", path, "search", session.redactor)

    def search_docs(query: str, k: int = 5) -> str:
        """Search the knowledge base (runbooks, guides, the team's docs): best passages with citations.

        Args:
            query: an error message, identifier or question.
            k: how many passages (at most 8).
        """
        from tools.retrieval.docs_tool import search_docs as search

        if session.knowledge_store is None:
            return "the knowledge index is not configured for this session"
        passages = search(query, session.knowledge_store, k=max(1, min(k, 8)))
        blocks = [fence(p.text, f"{p.source} > {p.heading}", "document", session.redactor) for p in passages]
        return "\n\n".join(blocks) or "(nothing found)"

    return [diagnose_logs, read_log_lines, search_logs, search_docs]


def _checking_tools(session: AgentSession) -> list[Callable[..., str]]:
    def validate_kubernetes(path: str = "", manifest_text: str = "") -> str:
        """Validate Kubernetes manifests (a file or folder in the workspace, or YAML text).

        Args:
            path: file or folder inside the workspace; leave empty to validate `manifest_text`.
            manifest_text: YAML to validate when no path is given.
        """
        from tools.k8s.validate import validate_k8s, validate_k8s_text

        if path:
            report = validate_k8s([str(session.path(path))])
        else:
            report = validate_k8s_text(manifest_text, label="proposed.yaml")
        return _validation_summary(report)

    def validate_terraform_module(path: str) -> str:
        """Validate a Terraform module folder or .tf file in the workspace (syntax, references, policies).

        Args:
            path: module folder or file inside the workspace.
        """
        from tools.terraform.validate import validate_terraform

        return _validation_summary(validate_terraform([session.path(path)], run_terraform=False))

    def list_blueprints(target: str) -> str:
        """The blueprints for a target and their parameter names: call before generate_from_blueprint.

        Args:
            target: kubernetes, terraform or compose.
        """
        from tools.blueprints.intent import target_of
        from tools.blueprints.registry import all_blueprints

        wanted = target_of(target)
        lines = []
        for blueprint in all_blueprints().values():
            if blueprint.target != wanted:
                continue
            names = [p.name + (" (required)" if p.required else "") for p in blueprint.parameters]
            lines.append(f"{blueprint.name}: {blueprint.title}\n  parameters: {', '.join(names)}")
        return "\n".join(lines) or f"no {wanted} blueprints"

    def generate_from_blueprint(blueprint: str, parameters: dict[str, str]) -> str:
        """Render a best-practice blueprint (validated clean) to propose as files.

        Args:
            blueprint: a name from list_blueprints, e.g. k8s-web-service.
            parameters: parameter name to value, as list_blueprints shows them.
        """
        from tools.blueprints.registry import generate_blueprint

        generated = generate_blueprint(blueprint, parameters)
        texts = [f"# file: {f.path}\n{f.text}" for f in generated.files]
        return "\n".join([_validation_summary(generated.validation), *texts])

    return [validate_kubernetes, validate_terraform_module, list_blueprints, generate_from_blueprint]


def _proposing_tools(session: AgentSession) -> list[Callable[..., str]]:
    def propose_file_edit(path: str, new_content: str, title: str, rationale: str) -> str:
        """Propose replacing a file's whole content; a human reviews the diff and decides.

        Args:
            path: file inside the workspace (created if it does not exist).
            new_content: the complete new text of the file.
            title: one line saying what the change does.
            rationale: why, citing the evidence.
        """
        args = {"path": path, "new_content": new_content, "title": title, "rationale": rationale}
        # the review at the interrupt applied it; this call only runs when the human said yes
        return session.decided.get(
            decision_key("propose_file_edit", args), "not applied: it was not approved"
        )

    def propose_command(argv: list[str], title: str, rationale: str) -> str:
        """Propose running a read-only command or a dry run, given as an argv list (never a shell string).

        Args:
            argv: the command and its arguments, e.g. ["kubectl", "get", "pods", "-n", "shop"].
            title: one line saying what it checks.
            rationale: why it is needed.
        """
        args = {"argv": argv, "title": title, "rationale": rationale}
        if session.decided.get(decision_key("propose_command", args)) != APPROVED:
            return "not run: it was not approved"
        return _run_approved(session, argv)

    return [propose_file_edit, propose_command]


def _run_approved(session: AgentSession, argv: list[str]) -> str:
    """Run an approved command (allowlist checked again, no shell); its output comes back as data."""
    from tools.commands import run_command

    result = run_command(argv, timeout=60.0, cwd=session.root)
    session.audit.append("command_run", argv=" ".join(argv), status=result.status, exit_code=result.exit_code)
    if result.status == "refused":
        return f"refused: {result.reason}"
    output = f"exit code {result.exit_code}\n{result.stdout}\n{result.stderr}".strip()
    return fence(output, " ".join(argv), "command output", session.redactor)


def _validation_summary(report: Any) -> str:
    counts = report.counts
    lines = [
        f"{counts.resources} resources: {counts.valid} valid, {counts.invalid} invalid, "
        f"{counts.errors} errors; {len(report.findings)} findings"
    ]
    for finding in report.findings[:40]:
        where = finding.evidence[0] if finding.evidence else None
        place = f"{where.source}:{where.line}" if where else ""
        lines.append(
            f"- [{finding.severity.value}] {finding.id} {finding.resource or ''} {place}: {finding.title}"
        )
    lines.extend(f"note: {note}" for note in report.notes[:10])
    return "\n".join(lines)


def wrap_errors(function: Callable[..., str]) -> Callable[..., str]:
    """The tool with bad input (a path outside the workspace, a missing file) reported back as text."""
    import functools

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> str:
        try:
            return function(*args, **kwargs)
        except InputError as err:
            return f"error: {err}"
        except OSError as err:
            return f"error: {err.strerror or err}"

    return guarded
