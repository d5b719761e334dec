"""`shipmate diagnose --cluster` as a user runs it: a subprocess, a kubeconfig, the fake API server."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_cli import run
from tests.servers.kube_api import TOKEN, kube_api_server, write_kubeconfig
from tests.support.cluster_scenarios import load_scenarios


def scenario(name: str) -> Any:
    return next(s for s in load_scenarios() if s.name == name)


def diagnose(kubeconfig: Path, *args: str) -> tuple[int, str, str]:
    done = run("diagnose", "--cluster", *args, env={"KUBECONFIG": str(kubeconfig)})
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def test_text_names_the_cause_with_the_log_line(tmp_path: Path) -> None:
    crash = scenario("crashloop-missing-env")
    with kube_api_server(crash.objects, crash.logs) as server:
        config = write_kubeconfig(tmp_path / "config", server.base_url, TOKEN, namespace="shop")
        code, out, err = diagnose(config)
    assert code == 1, err
    assert "Read " in out
    assert "of context test in" in out
    assert "Most likely root cause:" in out
    assert "container.config.missing_env" in out
    assert "logs shop/api-" in out
    assert "(previous)" in out


def test_json_reports_what_was_read_and_the_calls(tmp_path: Path) -> None:
    crash = scenario("crashloop-missing-env")
    with kube_api_server(crash.objects, crash.logs) as server:
        config = write_kubeconfig(tmp_path / "config", server.base_url, TOKEN)
        code, out, _ = diagnose(config, "-n", "shop", "--format", "json")
        calls = len(server.requests)
    report = json.loads(out)
    assert report["tool"] == "shipmate diagnose --cluster"
    assert report["cluster"]["context"] == "test"
    assert report["cluster"]["namespaces"] == ["shop"]
    assert report["cluster"]["api_calls"] == calls
    assert report["cluster"]["objects"]["pods"] >= 1
    assert report["cluster"]["logs_read"] >= 1
    assert {f["engine"] for f in report["findings"]} == {"cluster"}
    assert code == 1


def test_partial_permissions_are_analysed_and_listed(tmp_path: Path) -> None:
    partial = scenario("partial-permissions")
    with kube_api_server(partial.objects, partial.logs, forbidden=partial.forbidden) as server:
        config = write_kubeconfig(tmp_path / "config", server.base_url, TOKEN)
        _, out, _ = diagnose(config, "-n", "shop", "--format", "json")
    report = json.loads(out)
    not_read = " ".join(report["cluster"]["not_read"])
    for kind in partial.forbidden:
        assert f"{kind.split('@')[0]}: forbidden (list " in not_read
    assert report["findings"], "what could be read is still analysed"


def test_a_healthy_namespace_exits_0(tmp_path: Path) -> None:
    healthy = scenario("healthy-namespace")
    with kube_api_server(healthy.objects, healthy.logs) as server:
        config = write_kubeconfig(tmp_path / "config", server.base_url, TOKEN)
        code, out, _ = diagnose(config, "-n", healthy.namespace or "default")
    assert code == 0
    assert "No known failure" in out


def test_label_selector_and_all_namespaces(tmp_path: Path) -> None:
    crash = scenario("crashloop-missing-env")
    with kube_api_server(crash.objects, crash.logs) as server:
        config = write_kubeconfig(tmp_path / "config", server.base_url, TOKEN)
        _, out, _ = diagnose(config, "-A", "-l", "app=nothing-has-this", "--format", "json")
        pod_lists = [r for r in server.requests if r.path == "/api/v1/pods"]
    report = json.loads(out)
    assert report["cluster"]["namespaces"] is None
    assert report["cluster"]["label_selector"] == "app=nothing-has-this"
    assert pod_lists
    assert all(r.query.get("labelSelector") == "app=nothing-has-this" for r in pod_lists)
    assert not [f for f in report["findings"] if f["resource"].startswith("Pod/")]


def test_unreachable_server_is_one_line_within_the_timeout(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_kubeconfig(tmp_path / "config", f"http://127.0.0.1:{port}", TOKEN)
    started = time.perf_counter()
    code, _, err = diagnose(config, "--request-timeout", "2")
    assert code == 2
    assert time.perf_counter() - started < 15
    assert err.count("\n") == 1, err
    assert "cannot reach the API server http://127.0.0.1:" in err
    assert "connection refused" in err


def test_a_server_that_does_not_answer_times_out(tmp_path: Path) -> None:
    with kube_api_server([], delay=3.0) as server:
        config = write_kubeconfig(tmp_path / "config", server.base_url, TOKEN)
        code, _, err = diagnose(config, "--request-timeout", "0.5")
    assert code == 2
    assert "timed out" in err
    assert "timeout 0.5 s" in err


def test_refused_credentials_and_unknown_context(tmp_path: Path) -> None:
    with kube_api_server([]) as server:
        config = write_kubeconfig(tmp_path / "config", server.base_url, "wrong-token")
        code, _, err = diagnose(config)
        assert code == 2
        assert "refused the credentials (401 Unauthorized)" in err
        code, _, err = diagnose(config, "--context", "prod")
    assert code == 2
    assert "--context: no context 'prod'" in err
    assert "known: test" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cluster", "app.log"], "--cluster: reads the cluster, not files"),
        (["-n", "shop", "app.log"], "only apply with --cluster"),
        (["--cluster", "-A", "-n", "shop"], "-A: reads every namespace"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "app.log").write_text("ERROR x\n")
    done = run("diagnose", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr.decode()


def test_no_kubeconfig_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = diagnose(tmp_path / "missing-config")
    assert code == 2
    assert "no kubeconfig here and not running in a cluster" in err


def test_explain_gets_the_evidence_pack_of_the_cluster_findings(tmp_path: Path) -> None:
    from tests.servers.openai_chat import answer, openai_chat_server

    crash = scenario("crashloop-missing-env")
    with kube_api_server(crash.objects, crash.logs) as server, openai_chat_server() as model:
        model.queue(answer("DATABASE_URL is missing from the api Deployment (see the previous log).\n"))
        config = write_kubeconfig(tmp_path / "config", server.base_url, TOKEN, namespace="shop")
        env = {
            "KUBECONFIG": str(config),
            "SHIPMATE_MODEL": "openai/stub",
            "SHIPMATE_API_BASE": model.base_url,
            "SHIPMATE_API_KEY": "k",
        }
        done = run("diagnose", "--cluster", "--explain", env=env)
        sent = model.bodies_text()
    assert "DATABASE_URL is missing from the api Deployment" in done.stdout.decode()
    assert "container.config.missing_env" in sent
    assert "<untrusted-data" in sent
