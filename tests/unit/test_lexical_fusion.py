"""Lexical tokens keep identifiers, BM25 ranks them, and fusion puts exact error strings first."""

from __future__ import annotations

from tools.retrieval.fusion import exact_terms, fuse, reciprocal_rank_fusion
from tools.retrieval.lexical import LexicalIndex, lexical_tokens


def test_identifiers_are_kept_whole_and_split() -> None:
    tokens = lexical_tokens("Pod in CrashLoopBackOff: Insufficient nvidia.com/gpu, x509 error")
    assert {
        "crashloopbackoff",
        "crash",
        "loop",
        "back",
        "off",
        "nvidia.com/gpu",
        "nvidia",
        "gpu",
        "x509",
    } <= set(tokens)
    assert "in" not in tokens


def test_bm25_finds_the_document_with_the_error_string() -> None:
    texts = [
        "Readiness probes gate traffic to the pod.",
        "ErrImagePull means the image or tag does not exist in the registry.",
        "Terraform state locks stop two runs writing at once.",
    ]
    index = LexicalIndex(texts)
    hits = index.search("why ErrImagePull", 3)
    assert hits[0][0] == 1
    assert all(score > 0 for _, score in hits)
    assert index.search("", 3) == []
    assert LexicalIndex([]).search("anything", 3) == []


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    scores = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"]])
    assert scores["a"] == scores["b"] > scores["c"] > 0
    assert scores["c"] == scores["d"]


def test_exact_terms_from_error_strings_quotes_and_identifiers() -> None:
    phrases, identifiers = exact_terms('Error: "no space left on device" on node-3')
    assert "no space left on device" in phrases
    _, identifiers = exact_terms("pod stuck with ErrImagePull after deploy")
    assert identifiers == ["errimagepull"]
    assert exact_terms("pod keeps restarting") == (["pod keeps restarting"], [])
    assert exact_terms("restarting") == ([], [])


def test_exact_matches_rank_first_whatever_the_fused_score() -> None:
    texts = {
        "semantic": "When images cannot be downloaded the kubelet backs off.",
        "exact": "The kubelet reports ErrImagePull when the tag is missing.",
        "other": "Unrelated text.",
    }
    ranked = fuse([["semantic", "other", "exact"], ["semantic", "other"]], texts, "ErrImagePull")
    assert ranked[0][0] == "exact"
    assert ranked[0][2] == 1
