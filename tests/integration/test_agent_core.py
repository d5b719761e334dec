"""The agent with a scripted model: tools run in the workspace, proposals need a human, all is audited."""

from __future__ import annotations

import subprocess
from pathlib import Path

from assistant.agent.build import build_agent, run_agent
from assistant.agent.session import AgentSession
from assistant.approvals import NeverApprove, PreApproved
from assistant.audit import AuditLog
from tests.support.scripted_model import ScriptedChatModel, answer, calls

CANARY = "AKIAQWERTYUIOPASDFGH"
LOG = (
    "2026-11-23T10:00:01Z INFO starting checkout\n"
    f"2026-11-23T10:00:02Z INFO using AWS_ACCESS_KEY_ID={CANARY}\n"
    '2026-11-23T10:00:03Z ERROR secret "checkout-db" not found\n'
    "2026-11-23T10:00:04Z FATAL cannot start without database credentials\n"
)


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "app.log").write_text(LOG)
    (root / "deploy.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n")
    return root


def _session(root: Path, approver: object = None) -> AgentSession:
    return AgentSession(
        root=root, audit=AuditLog(root.parent / "audit.jsonl"), approver=approver or NeverApprove()
    )


def test_the_agent_reads_logs_through_tools_and_never_leaks_the_canary(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    session = _session(root)
    model = ScriptedChatModel(
        script=[
            calls(("search_logs", {"path": "app.log", "pattern": "ERROR|FATAL|KEY"})),
            calls(("read_log_lines", {"path": "app.log", "start_line": 1, "count": 4})),
            answer("The Secret checkout-db is missing (app.log:3)."),
        ]
    )
    final = run_agent(build_agent(model, session), session, f"why does checkout fail? my key is {CANARY}")
    assert final == "The Secret checkout-db is missing (app.log:3)."
    shown = "\n".join(str(m.content) for turn in model.seen for m in turn)
    assert 'secret "checkout-db" not found' in shown
    assert "<untrusted-data" in shown
    assert CANARY not in shown  # neither from the log nor from the user's own message
    events = [r["event"] for r in session.audit.records()]
    assert events.count("tool_call") == 2
    assert events.count("model_call") == 3
    assert session.audit.verify().ok


def test_paths_outside_the_workspace_are_refused_to_the_model(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (tmp_path / "secret.txt").write_text("top secret\n")
    model = ScriptedChatModel(
        script=[calls(("read_log_lines", {"path": "../secret.txt", "start_line": 1})), answer("cannot")]
    )
    session = _session(root)
    run_agent(build_agent(model, session), session, "read ../secret.txt")
    tool_result = str(model.seen[1][-1].content)
    assert "outside" in tool_result
    assert "top secret" not in tool_result


def test_a_proposed_edit_is_applied_only_when_approved(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    new = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {k: v}\n"
    edit = (
        "propose_file_edit",
        {"path": "deploy.yaml", "new_content": new, "title": "add data", "rationale": "r"},
    )

    refused = _session(root)
    run_agent(
        build_agent(ScriptedChatModel(script=[calls(edit), answer("ok")]), refused), refused, "add data"
    )
    assert (root / "deploy.yaml").read_text() != new
    assert refused.outcomes[0].applied is False

    proposal_id = refused.proposals[0].id
    approved = _session(root, PreApproved(frozenset({proposal_id})))
    run_agent(
        build_agent(ScriptedChatModel(script=[calls(edit), answer("ok")]), approved), approved, "add data"
    )
    assert (root / "deploy.yaml").read_text() == new
    assert [r["event"] for r in approved.audit.records() if r["event"] in ("approval", "apply")] == [
        "approval",
        "apply",
    ]


def test_tool_output_is_cut_to_the_budget_and_steps_are_bounded(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "big.log").write_text("".join(f"line {n} " + "x" * 200 + "\n" for n in range(500)))
    session = _session(root)
    session.tool_output_tokens = 100
    looping = [
        calls(("read_log_lines", {"path": "big.log", "start_line": 1, "count": 200})) for _ in range(30)
    ]
    model = ScriptedChatModel(script=looping)
    run_agent(build_agent(model, session, max_steps=3), session, "read it all")
    results = [str(m.content) for turn in model.seen for m in turn if m.type == "tool"]
    assert all(len(r) <= 100 * 4 + 80 for r in results)
    assert len(model.seen) <= 4 + 1


def test_an_approved_read_only_command_runs_and_its_output_comes_back_as_data(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    argv = ["git", "status", "--short"]
    step = ("propose_command", {"argv": argv, "title": "look at the tree", "rationale": "r"})
    refused = _session(root)
    model = ScriptedChatModel(script=[calls(step), answer("ok")])
    run_agent(build_agent(model, refused), refused, "what changed?")
    assert "not run" in str(model.seen[1][-1].content)

    proposal_id = refused.proposals[0].id
    approved = _session(root, PreApproved(frozenset({proposal_id})))
    model = ScriptedChatModel(script=[calls(step), answer("ok")])
    run_agent(build_agent(model, approved), approved, "what changed?")
    result = str(model.seen[1][-1].content)
    assert "<untrusted-data" in result
    assert "?? app.log" in result
    assert "command_run" in [r["event"] for r in approved.audit.records()]


def test_repository_tools_read_through_git(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "first"],
        check=True,
    )
    (root / "deploy.yaml").write_text("changed: true\n")
    model = ScriptedChatModel(
        script=[
            calls(("repo_status", {}), ("repo_diff", {}), ("repo_log", {}), ("list_files", {})),
            answer("ok"),
        ]
    )
    session = _session(root)
    run_agent(build_agent(model, session), session, "what changed?")
    results = "\n".join(str(m.content) for m in model.seen[1] if m.type == "tool")
    assert "deploy.yaml" in results
    assert "+changed: true" in results
    assert "first" in results


def test_anonymisation_hides_names_from_the_model_and_restores_them(tmp_path: Path) -> None:
    from assistant.agent.anonymize import Anonymizer

    root = _workspace(tmp_path)
    (root / "describe.txt").write_text(
        "Name: checkout-7d9f5c8b6d-x2kqp\nNamespace: payments\n"
        "Events: dial tcp ledger.prod.acme.internal:5432: connection refused\n"
    )
    session = _session(root)
    session.anonymizer = Anonymizer()
    model = ScriptedChatModel(
        script=[
            calls(("read_log_lines", {"path": "describe.txt", "start_line": 1})),
            calls(("search_logs", {"path": "describe.txt", "pattern": "ns-1|host-1"})),
            answer("host-1 refuses connections from pod-1 in ns-1."),
        ]
    )
    final = run_agent(build_agent(model, session), session, "why does the service fail?")
    shown = "\n".join(str(m.content) for turn in model.seen for m in turn)
    for real in ("payments", "checkout-7d9f5c8b6d-x2kqp", "ledger.prod.acme.internal"):
        assert real not in shown
    assert "ns-1" in shown
    search_result = str(model.seen[2][-1].content)
    assert "Namespace: ns-1" in search_result  # the tool searched the real names, the model saw placeholders
    assert (
        final == "ledger.prod.acme.internal refuses connections from checkout-7d9f5c8b6d-x2kqp in payments."
    )


def test_the_agent_generates_from_a_blueprint_and_proposes_the_file(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    model = ScriptedChatModel(
        script=[
            calls(
                (
                    "generate_from_blueprint",
                    {"blueprint": "k8s-web-service", "parameters": {"image": "web:1.2"}},
                )
            ),
            answer("Here are the manifests."),
        ]
    )
    session = _session(root)
    run_agent(build_agent(model, session), session, "write manifests for web:1.2")
    result = str(model.seen[1][-1].content)
    assert "4 resources: 4 valid, 0 invalid, 0 errors; 0 findings" in result
    assert "kind: Deployment" in result


def test_the_agent_lists_the_blueprints_of_a_target(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    model = ScriptedChatModel(script=[calls(("list_blueprints", {"target": "k8s"})), answer("Listed.")])
    session = _session(root)
    run_agent(build_agent(model, session), session, "what can you generate?")
    result = str(model.seen[1][-1].content)
    assert "k8s-web-service: Web service" in result
    assert "  parameters: image (required), name, namespace, port, replicas" in result
    assert "tf-" not in result  # only the target asked for
