"""Generation with a model over real HTTP: blueprint by tool call, and the validate-and-repair loop."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.audit import AuditLog, default_audit_path
from assistant.generation.model_generate import GenerationFailed, Round, generate_with_model
from assistant.llm.config import GatewayConfig
from assistant.llm.gateway import LLMGateway
from tests.integration.test_cli import run
from tests.servers.openai_chat import ChatServer, answer, openai_chat_server, tool_call
from tools.blueprints.registry import generate_blueprint
from tools.k8s.validate import validate_k8s_text

GOOD = (Path(__file__).parent.parent / "data" / "generate_daemonset.yaml").read_text()
BROKEN_SYNTAX = GOOD.replace("  selector:\n", "  selector\n", 1)  # not YAML any more
NO_SELECTOR = GOOD.replace("  selector:\n    matchLabels:\n      app.kubernetes.io/name: node-exporter\n", "")
PRIVILEGED = GOOD.replace("allowPrivilegeEscalation: false", "privileged: true")
ASK = "a DaemonSet running node-exporter v1.8.1 on every node in monitoring"


def _files(text: str, path: str = "node-exporter.yaml") -> dict[str, Any]:
    return {"files": [{"path": path, "content": text}]}


def _gateway(server: ChatServer, audit: AuditLog) -> LLMGateway:
    return LLMGateway(GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="sk-test"), audit)


def test_the_fixture_is_clean_and_the_broken_variants_are_not() -> None:
    assert not validate_k8s_text(GOOD).findings
    assert validate_k8s_text(NO_SELECTOR).counts.invalid == 1
    assert validate_k8s_text(BROKEN_SYNTAX).counts.errors == 1
    assert any(f.severity.value in ("high", "critical") for f in validate_k8s_text(PRIVILEGED).findings)


def test_broken_yaml_is_repaired_within_the_rounds_and_every_round_is_audited(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    seen: list[Round] = []
    with openai_chat_server() as server:
        server.queue(
            tool_call("write_files", _files(BROKEN_SYNTAX)),
            tool_call("write_files", _files(NO_SELECTOR)),
            tool_call("write_files", _files(PRIVILEGED)),
            tool_call("write_files", _files(GOOD)),
        )
        result = generate_with_model(
            _gateway(server, audit), "kubernetes", ASK, audit=audit, on_round=seen.append
        )
        requests = server.requests
    assert result.mode == "files"
    assert result.repair_rounds == 3
    assert [f.text for f in result.files] == [GOOD]
    assert [r.valid for r in seen] == [False, False, False, True]
    assert "node-exporter.yaml" in seen[0].problems[0]
    assert any("selector" in p for p in seen[1].problems)
    assert any("high" in p or "critical" in p for p in seen[2].problems)
    # the model saw each round's problems as the result of its tool call
    fed_back = [m for m in requests[3]["messages"] if m["role"] == "tool"]
    assert len(fed_back) == 3
    assert "Validation failed (round 1; 3 repair rounds left)" in fed_back[0]["content"]
    assert requests[0]["tool_choice"] == "required"
    assert {t["function"]["name"] for t in requests[0]["tools"]} == {"use_blueprint", "write_files"}
    rounds = [r for r in audit.records() if r["event"] == "generate.round"]
    assert [r["data"]["valid"] for r in rounds] == [False, False, False, True]
    assert rounds[-1]["data"]["files"] == {"node-exporter.yaml": _sha256(GOOD)}
    assert audit.verify().ok


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def test_output_that_never_validates_is_not_returned(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    with openai_chat_server() as server:
        server.queue(*[tool_call("write_files", _files(PRIVILEGED)) for _ in range(4)])
        with pytest.raises(
            GenerationFailed, match="did not validate after 3 repair rounds; nothing was proposed"
        ):
            generate_with_model(_gateway(server, audit), "kubernetes", ASK, audit=audit)
        assert len(server.requests) == 4
    assert [r["data"]["valid"] for r in audit.records() if r["event"] == "generate.round"] == [False] * 4


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("../../etc/cron.d/x.yaml", "relative path inside the output folder"),
        ("/etc/passwd.yaml", "relative path inside the output folder"),
        ("deploy.sh", "must end with .yaml or .yml"),
    ],
)
def test_paths_outside_the_output_folder_are_refused_and_fed_back(
    tmp_path: Path, path: str, problem: str
) -> None:
    seen: list[Round] = []
    with openai_chat_server() as server:
        server.queue(tool_call("write_files", _files(GOOD, path)), tool_call("write_files", _files(GOOD)))
        result = generate_with_model(
            _gateway(server, AuditLog(tmp_path / "a.jsonl")), "kubernetes", ASK, on_round=seen.append
        )
    assert problem in seen[0].problems[0]
    assert [f.path for f in result.files] == ["node-exporter.yaml"]


def test_the_model_chooses_a_blueprint_by_tool_call(tmp_path: Path) -> None:
    parameters = {"image": "ghcr.io/acme/api:1.4.2", "replicas": "3", "port": "8000"}
    with openai_chat_server() as server:
        server.queue(
            tool_call(
                "use_blueprint",
                {"blueprint": "k8s-web-service", "parameters": {**parameters, "replica": "2"}},
            ),
            tool_call("use_blueprint", {"blueprint": "k8s-web-service", "parameters": parameters}),
        )
        result = generate_with_model(
            _gateway(server, AuditLog(tmp_path / "a.jsonl")), "kubernetes", "deploy the api"
        )
        system = server.requests[0]["messages"][0]["content"]
        fed_back = server.requests[1]["messages"][-1]["content"]
    assert result.mode == "blueprint"
    assert result.blueprint == "k8s-web-service"
    assert result.repair_rounds == 1
    assert "has no such parameter" in fed_back
    assert result.files == generate_blueprint("k8s-web-service", parameters).files
    assert "`k8s-web-service`" in system
    assert "`autoscale_max`" in system


def test_a_model_that_answers_in_prose_is_asked_again(tmp_path: Path) -> None:
    with openai_chat_server() as server:
        server.queue(answer("Here is your YAML: ..."), tool_call("write_files", _files(GOOD)))
        result = generate_with_model(_gateway(server, AuditLog(tmp_path / "a.jsonl")), "kubernetes", ASK)
        retry = server.requests[1]["messages"][-1]
    assert retry["role"] == "user"
    assert "no tool call" in retry["content"]
    assert result.repair_rounds == 1


def _model_env(server: ChatServer) -> dict[str, str]:
    return {"SHIPMATE_MODEL": "openai/stub", "SHIPMATE_API_BASE": server.base_url, "SHIPMATE_API_KEY": "k"}


def test_cli_shows_the_rounds_and_prints_only_valid_output() -> None:
    with openai_chat_server() as server:
        server.queue(tool_call("write_files", _files(NO_SELECTOR)), tool_call("write_files", _files(GOOD)))
        result = run("generate", "k8s", ASK, "--stdout", env=_model_env(server))
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert "round 1: 1 files: 2 problems" in err
    assert '"selector" is a required property' in err
    assert "round 2: 1 files: valid" in err
    assert "files written by the model by openai/stub" in err
    assert "1 repair rounds" in err
    assert yaml.safe_load(result.stdout) == yaml.safe_load(GOOD)


def test_cli_writes_nothing_when_the_model_never_validates(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with openai_chat_server() as server:
        server.queue(*[tool_call("write_files", _files(PRIVILEGED)) for _ in range(4)])
        result = run("generate", "k8s", ASK, "--out", "k8s", env=_model_env(server), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert lines[-1].startswith("shipmate: error: model: its output did not validate after 3 repair rounds")
    assert sum(line.startswith("shipmate: round ") for line in lines) == 4
    assert not (tmp_path / "k8s").exists()
    records = [json.loads(line) for line in default_audit_path().read_text().splitlines()]
    assert [r["data"]["valid"] for r in records if r["event"] == "generate.round"] == [False] * 4


def test_offline_flag_keeps_to_the_blueprints_with_a_model_configured() -> None:
    with openai_chat_server() as server:
        result = run(
            "generate",
            "k8s",
            "deploy nginx:1.27 with 2 replicas",
            "--offline",
            "--stdout",
            env=_model_env(server),
        )
        assert server.requests == []
    assert result.returncode == 0, result.stderr
    assert re.search(r"image: nginx:1.27", result.stdout.decode())
