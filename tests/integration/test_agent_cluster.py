"""The agent's cluster tools with a scripted model and the fake API server: read-only, fenced, redacted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assistant.agent.build import build_agent, run_agent
from assistant.agent.session import AgentSession
from assistant.approvals import NeverApprove
from assistant.audit import AuditLog
from tests.servers.kube_api import TOKEN, kube_api_server, write_kubeconfig
from tests.support.cluster_scenarios import load_scenarios
from tests.support.scripted_model import ScriptedChatModel, answer, calls

CANARY = "AKIAQWERTYUIOPASDFGH"


def test_the_agent_diagnoses_the_namespace_then_reads_the_crashed_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = next(s for s in load_scenarios() if s.name == "crashloop-missing-env")
    key = next(k for k, v in scenario.logs.items() if v.get("previous"))
    namespace, pod, container = key.split("/")
    logs = {k: dict(v) for k, v in scenario.logs.items()}
    logs[key]["previous"] += f"\nINFO AWS_ACCESS_KEY_ID={CANARY}\n"
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    session = AgentSession(root=root, audit=AuditLog(tmp_path / "audit.jsonl"), approver=NeverApprove())
    model = ScriptedChatModel(
        script=[
            calls(("diagnose_cluster", {"namespace": namespace})),
            calls(
                (
                    "pod_log",
                    {
                        "namespace": namespace,
                        "name": pod,
                        "container": container,
                        "previous": True,
                        "since_seconds": 600,
                    },
                )
            ),
            calls(("describe_pod", {"namespace": namespace, "name": pod})),
            answer("DATABASE_URL is not set."),
        ]
    )
    with kube_api_server(scenario.objects, logs) as server:
        monkeypatch.setenv("KUBECONFIG", str(write_kubeconfig(tmp_path / "kube", server.base_url, TOKEN)))
        final = run_agent(build_agent(model, session), session, "what is broken in shop?")
        methods = {r.method for r in server.requests}
        asked = [r.query for r in server.requests if r.path.endswith(f"/pods/{pod}/log")]
    assert final == "DATABASE_URL is not set."
    shown = "\n".join(str(m.content) for turn in model.seen for m in turn)
    assert "container.config.missing_env" in shown
    assert "DATABASE_URL" in shown
    assert f"Pod {namespace}/{pod}: phase" in shown
    assert 'kind="cluster diagnosis"' in shown
    assert 'kind="container log"' in shown
    assert CANARY not in shown
    assert methods == {"GET"}
    assert any({"previous": "true", "sinceSeconds": "600"}.items() <= q.items() for q in asked), asked


def test_without_a_cluster_the_tool_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.agent.cluster_tools import cluster_tools
    from assistant.agent.tools import wrap_errors

    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "none"))
    session = AgentSession(root=tmp_path, audit=AuditLog(tmp_path / "audit.jsonl"))
    diagnose = wrap_errors(cluster_tools(session)[0])
    assert diagnose(namespace="shop").startswith("error: ")
    assert "no kubeconfig" in diagnose(namespace="shop")
