"""The offline MiniLM embedder reproduces sentence-transformers' reference embeddings."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import REPO
from tools.retrieval.minilm import DIMENSION, default_embedder

REFERENCE = REPO.parent / "shared" / "fixtures" / "minilm-reference.json"


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/fixtures is not beside this checkout")
def test_reproduces_the_reference_embeddings() -> None:
    reference = json.loads(REFERENCE.read_text())
    assert reference["dimension"] == DIMENSION
    got = default_embedder().embed(reference["sentences"])
    expected = np.array(reference["embeddings"], dtype=np.float32)
    cosine = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert len(cosine) == 24
    assert cosine.min() >= 0.999, list(zip(reference["sentences"], cosine, strict=True))


def test_vectors_are_unit_length_and_batches_agree() -> None:
    embedder = default_embedder()
    texts = ["connection refused", "x509: certificate signed by unknown authority " * 80, ""]
    together = embedder.embed(texts)
    alone = np.concatenate([embedder.embed([t]) for t in texts])
    assert together.shape == (3, DIMENSION)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    # padding in a batch must not change a text's vector
    assert np.allclose(together, alone, atol=1e-5)
    assert embedder.embed([]).shape == (0, DIMENSION)


def test_similar_meanings_are_closer_than_unrelated_ones() -> None:
    a, b, c = default_embedder().embed(
        [
            "pod keeps restarting",
            "container is in CrashLoopBackOff",
            "terraform state lock held by another run",
        ]
    )
    assert float(a @ b) > float(a @ c)
