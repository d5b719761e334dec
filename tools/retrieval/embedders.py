"""Embedding providers, chosen by `knowledge.embedder`.

- `minilm` (default): all-MiniLM-L6-v2 in numpy from a PyPI package; offline, no torch.
- `chroma`: Chroma's own default (the same model as ONNX). Chroma downloads it once, on
  first use, into ~/.cache/chroma; offline that download fails with a clear message.
- `litellm:<model>`: any embedding model litellm reaches (`litellm:openai/text-embedding-3-small`,
  `litellm:ollama/nomic-embed-text`, an OpenAI-compatible server via `embedding_api_base`).
  Text leaves the process here, so every text is redacted first.
- `sentence-transformers:<model>`: when that package (and torch) is installed.

Each provider has its own name, and the store keeps one collection per name, so a
change of provider never mixes two vector spaces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from tools.errors import InputError
from tools.retrieval.indexer import Embedder

SETTING = "knowledge.embedder"
PROVIDERS = ("minilm", "chroma", "litellm:<model>", "sentence-transformers:<model>")
REMOTE_BATCH = 64
REMOTE_TIMEOUT_SECONDS = 60.0


def make_embedder(spec: str, api_base: str | None = None, api_key: str | None = None) -> Embedder:
    """The embedder that `spec` names (see the module docstring)."""
    kind, _, model = spec.strip().partition(":")
    kind = kind.strip().lower()
    model = model.strip()
    if kind == "minilm" and not model:
        from tools.retrieval.minilm import default_embedder

        return default_embedder()
    if kind == "chroma" and not model:
        return ChromaDefaultEmbedder()
    if kind == "litellm" and model:
        return LiteLLMEmbedder(model, api_base, api_key)
    if kind == "sentence-transformers" and model:
        return SentenceTransformerEmbedder(model)
    raise InputError(SETTING, f"unknown embedder {spec!r}; use one of: {', '.join(PROVIDERS)}")


def _name(prefix: str, model: str) -> str:
    return f"{prefix}-{re.sub(r'[^a-zA-Z0-9._-]+', '-', model)}"


def _one_line(err: BaseException) -> str:
    return (" ".join(str(err).split()) or type(err).__name__)[:300]


class ChromaDefaultEmbedder:
    """Chroma's DefaultEmbeddingFunction (ONNX all-MiniLM-L6-v2, 384 dimensions)."""

    name = "chroma-default"
    dimension = 384

    def __init__(self) -> None:
        from chromadb.utils.embedding_functions import DefaultEmbeddingFunction

        self._function = DefaultEmbeddingFunction()

    def embed(self, texts: Sequence[str]) -> Any:
        """One unit vector per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        try:
            vectors = self._function(list(texts))
        except Exception as err:  # the first call downloads the model; offline it fails
            raise InputError(
                SETTING,
                "Chroma's default model could not be loaded or downloaded "
                f"({_one_line(err)}); offline, use the built-in `minilm` embedder",
            ) from err
        return np.asarray(vectors, dtype=np.float32)


class LiteLLMEmbedder:
    """Embeddings from any provider litellm reaches; texts are redacted before they leave."""

    def __init__(self, model: str, api_base: str | None, api_key: str | None) -> None:
        from tools.redaction.secrets import Redactor

        self.model = model
        self.name = _name("litellm", model)
        self._api_base = api_base
        self._api_key = api_key
        self._redactor = Redactor()
        # the store needs the width before the first write: ask the provider once
        self.dimension = int(self._request(["dimension probe"]).shape[1])

    def embed(self, texts: Sequence[str]) -> Any:
        """One unit vector per text, `REMOTE_BATCH` texts per request."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [self._request(list(texts[i : i + REMOTE_BATCH])) for i in range(0, len(texts), REMOTE_BATCH)]
        return np.concatenate(parts)

    def _request(self, texts: list[str]) -> Any:
        from tools.litellm_loader import load_litellm

        litellm = load_litellm()
        safe = [self._redactor.redact(t) or " " for t in texts]
        try:
            response = litellm.embedding(
                model=self.model,
                input=safe,
                api_base=self._api_base,
                api_key=self._api_key,
                timeout=REMOTE_TIMEOUT_SECONDS,
                num_retries=2,
            )
        except Exception as err:
            raise InputError(SETTING, f"embedding with {self.model} failed: {_one_line(err)}") from err
        rows = sorted(response.data, key=lambda row: int(_field(row, "index")))
        if len(rows) != len(texts):
            raise InputError(SETTING, f"{self.model} returned {len(rows)} embeddings for {len(texts)} texts")
        vectors = np.asarray([_field(row, "embedding") for row in rows], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.clip(norms, 1e-12, None)


def _field(row: Any, key: str) -> Any:
    return row[key] if isinstance(row, dict) else getattr(row, key)


class SentenceTransformerEmbedder:
    """A sentence-transformers model, when that package is installed (it brings torch)."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise InputError(
                SETTING,
                "sentence-transformers is not installed; install it beside shipmate "
                "(uv tool install --with sentence-transformers shipmate) or use `minilm`",
            ) from err
        try:
            self._model = SentenceTransformer(model)
        except Exception as err:
            problem = f"cannot load sentence-transformers model {model!r}: {_one_line(err)}"
            raise InputError(SETTING, problem) from err
        self.name = _name("st", model)
        self.dimension = int(self._model.get_sentence_embedding_dimension() or 0)

    def embed(self, texts: Sequence[str]) -> Any:
        """One unit vector per text."""
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)
