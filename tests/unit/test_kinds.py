"""Each source kind is recognised from its own first lines."""

from __future__ import annotations

import pytest

from tools.logs.kinds import SourceKind, detect_kind

SAMPLES = {
    SourceKind.KUBECTL_DESCRIBE: "Name:         api-7d9\nNamespace:    shop\nPriority:     0\nContainers:\n  api:\n",
    SourceKind.KUBECTL_EVENTS: "LAST SEEN   TYPE      REASON    OBJECT        MESSAGE\n2m   Warning   BackOff   pod/api-1   Back-off\n",
    SourceKind.CONTAINER_LOG: "starting server on :8080\nlistening\nGET /healthz 200\n",
    SourceKind.TERRAFORM: "Initializing the backend...\n\nTerraform used the selected providers to generate the plan\n",
    SourceKind.GITHUB_ACTIONS: "2025-03-04T10:21:33.1234567Z ##[group]Run actions/checkout@v4\n"
    "2025-03-04T10:21:34.1234567Z Syncing repository\n",
    SourceKind.GITLAB_CI: "Running with gitlab-runner 16.9.1 (782c6ecb)\n  on runner-1 abc\n",
    SourceKind.DOCKER_BUILD: "#1 [internal] load build definition from Dockerfile\n#5 [2/6] RUN apt-get update\n",
    SourceKind.JSONL: '{"level":"info","msg":"start"}\n{"level":"error","msg":"boom"}\n',
    SourceKind.SYSLOG: "May  1 12:00:01 node-1 kubelet[812]: I0501 started\n"
    "May  1 12:00:02 node-1 containerd[700]: ok\n",
    SourceKind.PYTHON_TRACEBACK: "Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: 'X'\n",
    SourceKind.JAVA_STACKTRACE: 'Exception in thread "main" java.lang.IllegalStateException: x\n'
    "\tat com.shop.Main.run(Main.java:42)\n",
    SourceKind.GO_PANIC: "panic: runtime error: index out of range\n\ngoroutine 1 [running]:\nmain.main()\n",
    SourceKind.NODE_STACKTRACE: "TypeError: x is not a function\n    at Object.<anonymous> (/app/server.js:10:5)\n",
    SourceKind.NGINX_INGRESS: '10.0.0.1 - - [01/May/2024:12:00:00 +0000] "GET /api HTTP/1.1" 502 150 "-" "curl/8"\n',
    SourceKind.MODEL_SERVER: "INFO 05-01 12:00:00 llm_engine.py:100] Initializing an LLM engine (v0.6.3) vllm\n",
}


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_kind_is_recognised(kind: SourceKind) -> None:
    assert detect_kind(SAMPLES[kind]).primary is kind


def test_events_json_is_recognised_and_unescaped() -> None:
    guess = detect_kind(
        '{\n  "apiVersion": "v1",\n  "items": [],\n  "kind": "List"\n}\n{"involvedObject": {}}'
    )
    assert guess.primary is SourceKind.KUBECTL_EVENTS
    assert guess.json_lines


def test_traces_are_traits_of_every_log() -> None:
    guess = detect_kind(SAMPLES[SourceKind.JSONL])
    assert guess.admits(frozenset({SourceKind.PYTHON_TRACEBACK}))
    assert guess.admits(frozenset({SourceKind.CONTAINER_LOG}))
    assert not guess.admits(frozenset({SourceKind.TERRAFORM}))
