"""Chunking by heading, with overlap, for every document format the index reads."""

from __future__ import annotations

import pytest

from tools.resources import knowledge_dir
from tools.retrieval.chunking import MAX_WORDS, OVERLAP_WORDS, chunk_document, document_format, parse_document

MARKDOWN = """---
title: Probes
platform: kubernetes
categories: [probe.readiness_failed, probe.liveness_failed]
tags: [probes]
---
# Probes

Intro text.

## Readiness

Readiness gates traffic.

```yaml
# not a heading inside a code block
readinessProbe: {}
```

### Tuning

Raise `failureThreshold`.

## Liveness

Liveness restarts containers.
"""


def test_markdown_sections_carry_heading_paths_and_front_matter_tags() -> None:
    chunks = chunk_document(parse_document("guides/probes.md", MARKDOWN))
    assert [c.heading for c in chunks] == [
        "Probes",
        "Probes > Readiness",
        "Probes > Readiness > Tuning",
        "Probes > Liveness",
    ]
    assert "# not a heading inside a code block" in chunks[1].text
    assert chunks[0].platforms == ("kubernetes",)
    assert chunks[0].categories == ("probe.readiness_failed", "probe.liveness_failed")
    assert chunks[0].title == "Probes"
    assert len({c.id for c in chunks}) == len(chunks)


def test_long_sections_are_cut_into_overlapping_windows() -> None:
    words = [f"w{n}" for n in range(500)]
    chunks = chunk_document(parse_document("long.md", "# Long\n\n" + " ".join(words)))
    assert len(chunks) == 3
    first, second = chunks[0].text.split(), chunks[1].text.split()
    assert len(first) == MAX_WORDS
    assert first[-OVERLAP_WORDS:] == second[:OVERLAP_WORDS]
    assert chunks[-1].text.split()[-1] == "w499"


def test_rst_headings() -> None:
    text = (
        "Storage\n=======\n\nIntro.\n\nVolumes\n-------\n\nPVCs bind.\n\nExpansion\n~~~~~~~~~\n\nGrow them.\n"
    )
    chunks = chunk_document(parse_document("docs/storage.rst", text))
    assert [c.heading for c in chunks] == ["Storage", "Storage > Volumes", "Storage > Volumes > Expansion"]


def test_html_headings_and_no_script_text() -> None:
    html = "<html><script>var x = 1;</script><h1>Ingress</h1><p>Routes traffic.</p><h2>TLS</h2><p>Use a secret.</p></html>"
    chunks = chunk_document(parse_document("kb/ingress.html", html))
    assert [(c.heading, c.text) for c in chunks] == [
        ("Ingress", "Routes traffic."),
        ("Ingress > TLS", "Use a secret."),
    ]


def test_plain_text_uses_the_file_name() -> None:
    chunks = chunk_document(parse_document("notes/oncall.txt", "Restart the worker when the queue stalls.\n"))
    assert chunks[0].heading == "oncall"


def test_runbooks_are_tagged_with_their_category_and_platform() -> None:
    path = knowledge_dir("runbooks", "tf.state_lock.md")
    document = parse_document("knowledge/runbooks/tf.state_lock.md", path.read_text(encoding="utf-8"))
    assert document.categories == ("tf.state_lock",)
    assert document.platforms
    assert any(c.heading.endswith("Fix") for c in chunk_document(document))


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.md", "markdown"), ("b.RST", "rst"), ("c.htm", "html"), ("d.txt", "text"), ("e.png", None)],
)
def test_formats(name: str, kind: str | None) -> None:
    assert document_format(name) == kind
