"""The diagnose engine on a small purpose-written catalogue: ranking, context, recovery, evidence."""

from __future__ import annotations

import gzip
from pathlib import Path

from tools.logs.catalogue import Catalogue
from tools.logs.diagnose import DiagnoseOptions, diagnose

DESCRIBE = """Name:         api-7d9f
Namespace:    shop
Containers:
  api:
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
Events:
  Warning  Failed   1m (x4 over 3m)  kubelet  Error: secret "db-creds" not found
  Warning  BackOff  1m (x9 over 3m)  kubelet  Back-off restarting failed container CrashLoopBackOff
"""


def _run(tmp_path: Path, catalogue: Catalogue, text: str, name: str = "in.txt", **options: object) -> list:
    path = tmp_path / name
    path.write_text(text)
    return diagnose([str(path)], DiagnoseOptions(**options), catalogue=catalogue).findings  # type: ignore[arg-type]


def test_cause_ranks_above_the_symptom_it_explains(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    findings = _run(tmp_path, mini_catalogue, DESCRIBE)
    assert findings[0].category == "container.config.missing_secret"
    assert findings[0].title == 'Secret "db-creds" not found'
    # the CrashLoopBackOff a few lines away is explained by the cause: its line joins the evidence
    assert any(note.startswith("Explains the symptom t.crashloop") for note in findings[0].notes)
    assert {e.line for e in findings[0].evidence} >= {6, 11}
    assert all(f.id != "t.crashloop" for f in findings)


def test_a_distant_symptom_the_cause_does_not_explain_stays_listed(
    tmp_path: Path, mini_catalogue: Catalogue
) -> None:
    text = "CrashLoopBackOff\n" + "filler line\n" * 60 + "dial db: connection refused\n"
    findings = _run(tmp_path, mini_catalogue, text)
    assert findings[0].id == "t.refused"
    symptom = next(f for f in findings if f.id == "t.crashloop")
    assert symptom.role == "symptom"
    assert findings.index(symptom) > 0


def test_a_distant_symptom_the_cause_explains_is_absorbed(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    text = "CrashLoopBackOff\n" + "filler line\n" * 60 + 'Error: secret "db-creds" not found\n'
    findings = _run(tmp_path, mini_catalogue, text)
    assert findings[0].id == "t.secret"
    assert {e.line for e in findings[0].evidence} == {1, 62}
    assert all(f.id != "t.crashloop" for f in findings)


def test_exit_137_without_oomkilled_is_not_oom(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    categories = {f.category for f in _run(tmp_path, mini_catalogue, DESCRIBE)}
    assert "container.oom" not in categories
    with_oom = DESCRIBE.replace("Reason:       Error", "Reason:       OOMKilled")
    assert _run(tmp_path, mini_catalogue, with_oom)[0].category == "container.oom"


def test_error_followed_by_recovery_ranks_low(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    text = "dial db:5432: connection refused\nretrying\nconnected to database\nTraceback (most recent call last):\n"
    text += '  File "app.py", line 9, in main\nValueError: bad config value\n'
    findings = _run(tmp_path, mini_catalogue, text)
    assert findings[0].id == "t.traceback"
    refused = next(f for f in findings if f.id == "t.refused")
    assert refused.role == "context"
    assert findings[-1] is refused
    assert "line 3" in refused.notes[0]


def test_error_after_the_recovery_is_not_recovered(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    text = "connection refused\nconnected to database\nconnection refused\n"
    finding = _run(tmp_path, mini_catalogue, text)[0]
    assert finding.id == "t.refused"
    assert finding.role == "cause"


def test_repeats_are_aggregated_with_counts_and_first_last(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    lines = [f"2024-05-01T12:00:{n:02d}Z dial tcp 10.0.0.{n}:5432: connection refused" for n in range(10, 40)]
    finding = _run(tmp_path, mini_catalogue, "\n".join(lines) + "\n")[0]
    assert finding.occurrence is not None
    assert finding.occurrence.count == 30
    assert (finding.occurrence.first_line, finding.occurrence.last_line) == (1, 30)
    assert finding.occurrence.first_seen == "2024-05-01T12:00:10Z"
    assert finding.occurrence.last_seen == "2024-05-01T12:00:39Z"
    assert finding.evidence[0].line == 1
    assert finding.evidence[-1].line == 30


def test_traceback_quotes_the_innermost_frame_and_the_exception(
    tmp_path: Path, mini_catalogue: Catalogue
) -> None:
    text = 'boot\nTraceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\n'
    text += '    main()\n  File "/app/config.py", line 9, in main\n    url = os.environ["DATABASE_URL"]\n'
    text += "KeyError: 'DATABASE_URL'\nshutting down\n"
    finding = _run(tmp_path, mini_catalogue, text)[0]
    assert [(e.line, e.text) for e in finding.evidence] == [
        (2, "Traceback (most recent call last):"),
        (5, '  File "/app/config.py", line 9, in main'),
        (7, "KeyError: 'DATABASE_URL'"),
    ]


def test_terraform_box_details_are_quoted(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    box = [
        "Terraform will perform the following actions:",
        "╷",
        "│ Error: Error acquiring the state lock",
        "│ ",
        "│ Error message: operation error DynamoDB: PutItem, https response error",
        "│ StatusCode: 400, RequestID: 0KQ",
        "│ ConditionalCheckFailedException: The conditional request failed",
        "│ Lock Info:",
        "╵",
    ]
    finding = _run(tmp_path, mini_catalogue, "\n".join(box) + "\n")[0]
    assert [e.line for e in finding.evidence] == [3, 5, 7]


def test_signature_limited_to_a_kind_ignores_other_inputs(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    line = "│ Error: Error acquiring the state lock\n"
    terraform = "Initializing the backend...\n" + line
    assert _run(tmp_path, mini_catalogue, terraform)[0].category == "tf.state_lock"
    plain = "app started\nError: Error acquiring the state lock\n"
    assert all(f.id != "t.tf-lock" for f in _run(tmp_path, mini_catalogue, plain))


def test_ansi_colours_and_ci_timestamps_are_stripped(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    text = (
        "2025-03-04T10:21:33.1234567Z \x1b[31m│\x1b[0m \x1b[1mError: Error acquiring the state lock\x1b[0m\n"
    )
    findings = _run(tmp_path, mini_catalogue, "Terraform will perform the following actions\n" + text)
    assert findings[0].category == "tf.state_lock"
    assert findings[0].evidence[0].text == "│ Error: Error acquiring the state lock"
    assert findings[0].occurrence is not None
    assert findings[0].occurrence.first_seen == "2025-03-04T10:21:33.1234567Z"


def test_json_lines_with_escaped_quotes_match(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    text = '{"level":"info","msg":"start"}\n{"level":"error","msg":"Error: secret \\"api-key\\" not found"}\n'
    finding = _run(tmp_path, mini_catalogue, text)[0]
    assert finding.title == 'Secret "api-key" not found'
    assert finding.evidence[0].line == 2


def test_unknown_errors_are_mined_and_shown(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    noise = [f"INFO request {n} served in {n % 13} ms" for n in range(500)]
    noise[250] = "FATAL: ledger shard 7 checksum mismatch, refusing to start"
    noise += [f"WARN cache refresh failed for key user-{n}, will retry" for n in range(40)]
    findings = _run(tmp_path, mini_catalogue, "\n".join(noise) + "\n")
    assert findings[0].engine == "mining"
    assert "checksum mismatch" in findings[0].title
    assert findings[0].evidence[0].line == 251
    assert any(
        "cache refresh failed" in f.title and f.occurrence and f.occurrence.count == 40 for f in findings
    )


def test_secrets_never_appear_in_findings(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    text = "dial postgres://app:S3cr3tPassw0rd!@db:5432/app: connection refused\n"
    text += "FATAL: boot failed with DB_PASSWORD=S3cr3tPassw0rd! and token ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"
    findings = _run(tmp_path, mini_catalogue, text)
    dumped = "".join(f.model_dump_json() for f in findings)
    assert "S3cr3tPassw0rd" not in dumped
    assert "ghp_abcdefghijklmnop" not in dumped
    assert "[REDACTED]" in dumped


def test_huge_single_line_is_shortened_in_evidence(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    text = "x" * (10 << 20) + ' secret "big" not found ' + "y" * 1000 + "\nnext\n"
    finding = _run(tmp_path, mini_catalogue, text, block_size=1 << 20)[0]
    assert finding.title == 'Secret "big" not found'
    assert len(finding.evidence[0].text) < 2100
    assert finding.evidence[0].line == 1


def test_gzip_and_invalid_utf8(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    path = tmp_path / "app.log.gz"
    path.write_bytes(gzip.compress(b'caf\xe9 \xff\xfe start\nError: secret "s\xe9" not found\n'))
    findings = diagnose([str(path)], catalogue=mini_catalogue).findings
    assert findings[0].category == "container.config.missing_secret"
    assert "\ufffd" in findings[0].title


def test_a_pattern_starting_with_whitespace_still_finds_its_own_line(
    tmp_path: Path, mini_catalogue: Catalogue
) -> None:
    text = "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n"
    finding = _run(tmp_path, mini_catalogue, text)[0]
    assert finding.id == "t.oom-reason"
    assert finding.evidence[0].line == 2


def test_go_panic_block_quotes_the_first_application_frame() -> None:
    from tools.logs.blocks import block_reach

    after = list(
        enumerate(
            [
                "",
                "goroutine 187 [running]:",
                "runtime/debug.Stack()",
                "\t/usr/local/go/src/runtime/panic.go:770 +0x132",
                "main.(*Planner).Plan(0x0)",
                "\t/src/internal/dispatch/planner.go:214 +0x5c",
            ],
            start=11,
        )
    )
    reach = block_reach("panic: runtime error: invalid memory address or nil pointer dereference")
    assert reach is not None
    assert reach[1](after) == [(16, "\t/src/internal/dispatch/planner.go:214 +0x5c")]


def test_a_secret_with_digits_in_an_unexplained_line_is_masked(
    tmp_path: Path, mini_catalogue: Catalogue
) -> None:
    text = (
        "export DB_PASSWORD=Tr0ub4dor3xyz\n" + "INFO ok\n" * 20 + "FATAL: login with Tr0ub4dor3xyz rejected\n"
    )
    findings = _run(tmp_path, mini_catalogue, text)
    dumped = "".join(f.model_dump_json() for f in findings)
    assert any(f.engine == "mining" for f in findings)
    assert "Tr0ub4dor3xyz" not in dumped
    assert "Tr<*>ub<*>dor<*>xyz" not in dumped


def test_many_variants_of_one_signature_collapse_into_one_finding(
    tmp_path: Path, mini_catalogue: Catalogue
) -> None:
    text = "".join(f'Error: secret "s{n}" not found\n' for n in range(10))
    findings = [f for f in _run(tmp_path, mini_catalogue, text) if f.id == "t.secret"]
    assert len(findings) == 1
    assert findings[0].title == 'Secret "<name>" not found'
    assert findings[0].occurrence is not None
    assert findings[0].occurrence.count == 10
    assert "10 variants" in findings[0].notes[-1]


def test_a_few_variants_stay_separate(tmp_path: Path, mini_catalogue: Catalogue) -> None:
    text = 'Error: secret "a" not found\nError: secret "b" not found\n'
    titles = sorted(f.title for f in _run(tmp_path, mini_catalogue, text) if f.id == "t.secret")
    assert titles == ['Secret "a" not found', 'Secret "b" not found']
