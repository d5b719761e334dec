"""What the gateway needs from the settings, as one plain value."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.config import LoadedSettings, Settings

DEFAULT_TIMEOUT_SECONDS = 60.0


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/shipmate/llm`, by default `~/.cache/shipmate/llm`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shipmate" / "llm"


@dataclass(frozen=True)
class GatewayConfig:
    """The model, where it is served, and the gateway's limits.

    `api_base` and `api_key` go with the main model and with fallbacks of the same
    provider (the part before the first `/`); a fallback of another provider uses that
    provider's own environment variables (OPENAI_API_KEY, ANTHROPIC_API_KEY, ...).
    """

    model: str
    api_base: str | None = None
    api_key: str | None = field(default=None, repr=False)
    fallbacks: tuple[str, ...] = ()
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_retries: int = 2
    max_cost_usd: float | None = None
    max_tokens: int | None = None
    cache: bool = False
    cache_dir: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings, cache_dir: Path | None = None) -> GatewayConfig:
        """The gateway configuration of `settings`; raise ValueError when no model is configured."""
        if not settings.model:
            raise ValueError("no model configured (set SHIPMATE_MODEL or model in config)")
        llm = settings.llm
        return cls(
            model=settings.model,
            api_base=settings.api_base,
            api_key=settings.api_key.get_secret_value() if settings.api_key else None,
            fallbacks=tuple(llm.fallbacks),
            timeout_seconds=llm.timeout_seconds,
            max_retries=llm.max_retries,
            max_cost_usd=llm.max_cost_usd,
            max_tokens=llm.max_tokens,
            cache=llm.cache,
            cache_dir=cache_dir or (llm.cache_dir.expanduser() if llm.cache_dir else None),
        )

    @classmethod
    def from_loaded(cls, loaded: LoadedSettings) -> GatewayConfig:
        """Like `from_settings`; a relative `llm.cache_dir` is taken from the config file that set it."""
        from assistant.config import configured_paths

        configured = loaded.settings.llm.cache_dir
        cache_dir = configured_paths(loaded, "llm.cache_dir", [configured])[0] if configured else None
        return cls.from_settings(loaded.settings, cache_dir=cache_dir)

    @property
    def models(self) -> tuple[str, ...]:
        """The main model then the fallbacks, each once."""
        return tuple(dict.fromkeys((self.model, *self.fallbacks)))

    @property
    def resolved_cache_dir(self) -> Path:
        """Where cached answers live."""
        return self.cache_dir or default_cache_dir()

    def endpoint_for(self, model: str) -> tuple[str | None, str | None]:
        """(api_base, api_key) to send with `model`."""
        if model == self.model or _provider(model) == _provider(self.model):
            return self.api_base, self.api_key
        return None, None


def _provider(model: str) -> str:
    return model.split("/", 1)[0] if "/" in model else ""
