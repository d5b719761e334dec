"""Configuration: pydantic-settings with the precedence of DESIGN.md.

CLI flags > `SHIPMATE_*` environment > `.shipmate.toml` in the repository (found by
walking up from the working directory) > `~/.config/shipmate/config.toml` >
defaults. `load_settings` also reports where each value came from, for
`shipmate config show`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from tools.errors import InputError
from tools.findings import Severity

REPO_CONFIG_NAME = ".shipmate.toml"
OutputFormat = Literal["text", "json", "markdown"]


class DiagnoseSettings(BaseModel):
    """Settings of `shipmate diagnose`."""

    include: list[str] = Field(default_factory=list, description="Globs of files to read inside directories.")
    exclude: list[str] = Field(default_factory=list, description="Globs of files to skip inside directories.")
    mined_clusters: int = Field(default=5, ge=0, le=50, description="Unexplained error clusters to show.")
    signature_paths: list[Path] = Field(
        default_factory=list, description="Extra signature files or folders (docs/signatures.md)."
    )


class KnowledgeSettings(BaseModel):
    """Settings of the knowledge index (`shipmate index`, `shipmate ask`)."""

    paths: list[Path] = Field(
        default_factory=list, description="Folders of your own docs (Markdown, reST, HTML, text) to index."
    )
    store: str | None = Field(
        default=None,
        description="Index location: a directory, or http(s)://host:port of a Chroma server. "
        "Default: $XDG_DATA_HOME/shipmate/knowledge.",
    )
    embedder: str = Field(
        default="minilm",
        description="Embedding provider: minilm (offline, built in), chroma (Chroma's default, downloads "
        "once), litellm:<model> (e.g. litellm:openai/text-embedding-3-small), "
        "sentence-transformers:<model> (when installed).",
    )
    embedding_api_base: str | None = Field(
        default=None, description="Base URL for litellm embeddings (Ollama, vLLM, OpenAI-compatible proxy)."
    )
    embedding_api_key: SecretStr | None = Field(default=None, description="API key for litellm embeddings.")


class ValidateSettings(BaseModel):
    """Settings of `shipmate validate`."""

    kubernetes_version: str | None = Field(
        default=None, description="Kubernetes version to validate against (default: newest bundled)."
    )
    strict: bool = Field(default=False, description="Refuse unknown and duplicate fields.")
    crds: list[Path] = Field(default_factory=list, description="CRD files or folders for custom resources.")
    schema_locations: list[Path] = Field(
        default_factory=list,
        description="Folders of JSON schemas named like kubeconform's (kind-group-version).",
    )
    ignore_missing_schemas: bool = Field(
        default=False, description="Report kinds without a schema as skipped instead of errors."
    )
    ignore: list[str] = Field(
        default_factory=list, description="Policy ids to switch off (K8S_LATEST_TAG, ...)."
    )
    terraform_binary: str | None = Field(
        default=None, description="terraform or tofu binary for fmt/validate (default: found on PATH)."
    )
    external: list[str] = Field(
        default_factory=list,
        description="External checkers to run when installed: checkov, tflint, conftest.",
    )


class LLMSettings(BaseModel):
    """Settings of the LLM gateway (docs/llm.md)."""

    fallbacks: list[str] = Field(
        default_factory=list, description="Models to try in order when the main one keeps failing."
    )
    timeout_seconds: float = Field(default=60.0, gt=0, description="Seconds to wait for one model call.")
    max_retries: int = Field(
        default=2, ge=0, le=10, description="Retries per model on rate limits, timeouts and server errors."
    )
    max_cost_usd: float | None = Field(
        default=None, ge=0, description="Stop a session once its model calls cost this much (USD)."
    )
    max_tokens: int | None = Field(
        default=None, ge=0, description="Stop a session once it has used this many tokens (in + out)."
    )
    cache: bool = Field(default=False, description="Answer repeated identical requests from a disk cache.")
    cache_dir: Path | None = Field(
        default=None, description="Cache location. Default: $XDG_CACHE_HOME/shipmate/llm."
    )


class AgentSettings(BaseModel):
    """Settings of the agent (`shipmate ask` with a model)."""

    max_steps: int = Field(default=12, ge=1, le=100, description="Most tool calls in one run.")
    tool_output_tokens: int = Field(
        default=2000, ge=100, description="Most tokens one tool result may hand the model."
    )
    anonymize: bool = Field(
        default=False,
        description="Replace namespaces, pod, host and account names by placeholders before the model "
        "sees them (restored in the answer).",
    )


class Settings(BaseSettings):
    """Every setting of shipmate. Nested settings use `__` in environment names."""

    model_config = SettingsConfigDict(env_prefix="SHIPMATE_", env_nested_delimiter="__", extra="forbid")

    model: str | None = Field(
        default=None,
        description="litellm model string (openai/gpt-4.1-mini, ollama/qwen2.5-coder); none = offline.",
    )
    api_base: str | None = Field(
        default=None, description="Base URL of an OpenAI-compatible server or proxy."
    )
    api_key: SecretStr | None = Field(default=None, description="API key for the model provider.")
    format: OutputFormat = Field(default="text", description="Default output format.")
    fail_on: Severity = Field(
        default=Severity.MEDIUM, description="Exit 1 when a finding is at least this severe."
    )
    color: Literal["auto", "always", "never"] = Field(
        default="auto", description="Colour in terminal output."
    )
    diagnose: DiagnoseSettings = Field(default_factory=DiagnoseSettings)
    knowledge: KnowledgeSettings = Field(default_factory=KnowledgeSettings)
    validation: ValidateSettings = Field(default_factory=ValidateSettings)
    agent: AgentSettings = Field(default_factory=AgentSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only flags and the environment come from pydantic-settings; files are merged by `load_settings`."""
        return (init_settings, env_settings)


@dataclass(frozen=True)
class ConfigFiles:
    """The configuration files that apply from a working directory."""

    repo: Path | None
    user: Path


def user_config_path() -> Path:
    """`$XDG_CONFIG_HOME/shipmate/config.toml`, by default `~/.config/shipmate/config.toml`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "shipmate" / "config.toml"


def default_store_location() -> Path:
    """`$XDG_DATA_HOME/shipmate/knowledge`, by default `~/.local/share/shipmate/knowledge`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "shipmate" / "knowledge"


def knowledge_store(loaded: LoadedSettings) -> str:
    """The index location: a server URL as given, a relative directory taken from where it was set."""
    configured = loaded.settings.knowledge.store
    if not configured:
        return str(default_store_location())
    if configured.startswith(("http://", "https://")):
        return configured
    path = Path(configured).expanduser()
    origin = loaded.sources.get("knowledge.store", "")
    if not path.is_absolute() and origin.endswith(".toml"):
        path = Path(origin).parent / path  # relative to the config file that set it
    return str(path)


def knowledge_paths(loaded: LoadedSettings) -> list[Path]:
    """The user's document folders, relative ones taken from the config file that set them."""
    return configured_paths(loaded, "knowledge.paths", loaded.settings.knowledge.paths)


def configured_paths(loaded: LoadedSettings, key: str, paths: list[Path]) -> list[Path]:
    """`paths` (the value of setting `key`) with relative ones taken from the config file that set them."""
    origin = loaded.sources.get(key, "")
    base = Path(origin).parent if origin.endswith(".toml") else None
    return [p if p.is_absolute() or base is None else base / p for p in (q.expanduser() for q in paths)]


def find_repo_config(start: Path | None = None) -> Path | None:
    """The nearest `.shipmate.toml` from `start` upwards, stopping at a repository root."""
    directory = (start or Path.cwd()).resolve()
    for candidate in (directory, *directory.parents):
        path = candidate / REPO_CONFIG_NAME
        try:
            if path.is_file():
                return path
            if (candidate / ".git").exists():
                return None
        except OSError:  # a directory we may not look into ends the search
            return None
    return None


def config_files(start: Path | None = None) -> ConfigFiles:
    """The repository and user configuration files (the user one may not exist)."""
    return ConfigFiles(repo=find_repo_config(start), user=user_config_path())


@dataclass
class LoadedSettings:
    """Effective settings and the source of every value."""

    settings: Settings
    sources: dict[str, str]
    files: ConfigFiles


def load_settings(flags: dict[str, Any] | None = None, start: Path | None = None) -> LoadedSettings:
    """Merge all sources by precedence; raise `InputError` naming the bad file or variable."""
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    files = config_files(start)
    layers: list[tuple[str, dict[str, Any]]] = [("command line", flags), ("env", _env_values())]
    if files.repo is not None:
        layers.append((str(files.repo), _read_toml(files.repo)))
    if _is_file(files.user):
        layers.append((str(files.user), _read_toml(files.user)))
    merged: dict[str, Any] = {}
    for _, values in reversed(layers):
        merged = _deep_merge(merged, values)
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        origin = next((name for name, values in layers if _has_path(values, key.split("."))), "settings")
        raise InputError(origin, f"setting {key!r}: {first['msg']}") from err
    sources = {path: _origin(layers, path) for path in _leaf_paths(settings.model_dump())}
    return LoadedSettings(settings=settings, sources=sources, files=files)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder on the way we may not enter: the file is out of reach, as if absent
        return False


def _env_values() -> dict[str, Any]:
    try:
        return dict(EnvSettingsSource(Settings)())
    except Exception as err:  # pydantic-settings raises SettingsError for unparsable JSON values
        raise InputError("environment", f"a SHIPMATE_* variable cannot be parsed ({err})") from err


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise InputError(str(path), f"invalid TOML: {err}") from err
    except PermissionError as err:
        raise InputError(str(path), "permission denied") from err
    except UnicodeDecodeError as err:
        raise InputError(str(path), "not valid UTF-8") from err


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _has_path(values: dict[str, Any], path: list[str]) -> bool:
    node: Any = values
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _origin(layers: list[tuple[str, dict[str, Any]]], dotted: str) -> str:
    for name, values in layers:
        if _has_path(values, dotted.split(".")):
            return name
    return "default"


def _leaf_paths(values: dict[str, Any], prefix: str = "") -> list[str]:
    paths: list[str] = []
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            paths.extend(_leaf_paths(value, f"{dotted}."))
        else:
            paths.append(dotted)
    return paths


def describe(loaded: LoadedSettings) -> list[tuple[str, str, str]]:
    """(setting, shown value, source) rows; secrets are masked."""
    rows: list[tuple[str, str, str]] = []
    values = loaded.settings.model_dump(mode="json")
    secret_paths = {"api_key"}
    for path in _leaf_paths(values):
        node: Any = values
        for part in path.split("."):
            node = node[part]
        if path in secret_paths and node is not None:
            shown = "********"
        elif node is None:
            shown = "(not set)"
        else:
            shown = str(node)
        rows.append((path, shown, loaded.sources[path]))
    return rows
