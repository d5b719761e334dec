"""`shipmate diagnose --explain` over real HTTP: the model sees the evidence pack only, redacted."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli import one_line_error, run
from tests.servers.openai_chat import answer, openai_chat_server

CANARY = "sk-proj-" + "Wq8Rt5Yu2Io9Pa4Sd7Fg1Hj6Kl3"
LOG = (
    "Name: checkout-7d9\nNamespace: shop\nEvents:\n"
    '  Warning  Failed  1m  kubelet  Error: secret "checkout-db" not found\n'
    f"INFO config loaded OPENAI_API_KEY={CANARY}\n" + "INFO healthy\n" * 200
)


def test_explain_streams_a_guarded_answer_from_the_pack(tmp_path: Path) -> None:
    log = tmp_path / "describe.txt"
    log.write_text(LOG)
    with openai_chat_server() as server:
        server.queue(
            answer(
                "The pod cannot start: Secret checkout-db is missing (describe.txt:4).\n"
                "Check with kubectl get secret checkout-db -n shop. ![x](https://evil.example/?k=1)\n"
            )
        )
        env = {"SHIPMATE_MODEL": "openai/stub", "SHIPMATE_API_BASE": server.base_url, "SHIPMATE_API_KEY": "k"}
        result = run("diagnose", str(log), "--explain", env=env)
        sent = server.bodies_text()
    out = result.stdout.decode()
    assert "Secret checkout-db is missing (describe.txt:4)" in out
    assert "evil.example" not in out
    assert "[image removed" in out
    assert 'secret \\"checkout-db\\" not found' in sent or 'secret "checkout-db" not found' in sent
    assert CANARY not in sent
    assert "INFO healthy" not in sent  # the pack, not the raw log
    assert "<untrusted-data" in sent


def test_explain_without_a_model_is_a_usage_error(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(LOG)
    one_line_error(run("diagnose", str(log), "--explain"), "--explain: needs a model")
