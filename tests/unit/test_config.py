"""Configuration precedence: flags > env > repo .shipmate.toml > user config > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import describe, load_settings
from tools.errors import InputError


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(root / "deep" / "er")
    return root


def _user_config(xdg: Path, text: str) -> Path:
    path = xdg / "shipmate" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_defaults_when_nothing_is_configured(repo: Path) -> None:
    loaded = load_settings()
    assert loaded.settings.model is None
    assert set(loaded.sources.values()) == {"default"}


def test_each_layer_overrides_the_one_below(
    repo: Path, isolated_user_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _user_config(
        isolated_user_config,
        'model = "user/m"\nfail_on = "low"\nformat = "markdown"\n[diagnose]\nmined_clusters = 9\n',
    )
    (repo / ".shipmate.toml").write_text(
        'model = "repo/m"\nfail_on = "high"\n[diagnose]\ninclude = ["*.log"]\n'
    )
    monkeypatch.setenv("SHIPMATE_MODEL", "env/m")
    monkeypatch.setenv("SHIPMATE_DIAGNOSE__MINED_CLUSTERS", "7")
    loaded = load_settings({"model": "flag/m"})
    settings = loaded.settings
    assert settings.model == "flag/m"
    assert settings.fail_on.value == "high"
    assert settings.format == "markdown"
    assert settings.diagnose.mined_clusters == 7
    assert settings.diagnose.include == ["*.log"]
    assert loaded.sources["model"] == "command line"
    assert loaded.sources["diagnose.mined_clusters"] == "env"
    assert loaded.sources["fail_on"] == str(repo / ".shipmate.toml")
    assert loaded.sources["format"] == str(user)
    assert loaded.sources["api_key"] == "default"


def test_secrets_are_masked_in_describe(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIPMATE_API_KEY", "sk-live-abcdef1234567890")
    rows = {name: (value, source) for name, value, source in describe(load_settings())}
    assert rows["api_key"] == ("********", "env")
    assert "abcdef" not in repr(rows)


def test_bad_toml_names_the_file(repo: Path) -> None:
    (repo / ".shipmate.toml").write_text("model = \n")
    with pytest.raises(InputError, match=r"\.shipmate\.toml: invalid TOML"):
        load_settings()


def test_bad_value_names_its_source(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIPMATE_FAIL_ON", "sometimes")
    with pytest.raises(InputError, match=r"^env: setting 'fail_on'"):
        load_settings()


def test_repo_config_search_stops_at_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".shipmate.toml").write_text('model = "outside/m"\n')
    inner = tmp_path / "repo"
    (inner / ".git").mkdir(parents=True)
    monkeypatch.chdir(inner)
    assert load_settings().settings.model is None


def test_knowledge_store_location(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from assistant.config import knowledge_paths, knowledge_store

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert knowledge_store(load_settings()) == str(tmp_path / "data" / "shipmate" / "knowledge")
    (repo / ".shipmate.toml").write_text('[knowledge]\nstore = ".shipmate/index"\npaths = ["docs"]\n')
    loaded = load_settings()
    assert knowledge_store(loaded) == str(repo / ".shipmate" / "index")  # relative to the file that set it
    assert knowledge_paths(loaded) == [repo / "docs"]
    assert (
        knowledge_store(load_settings({"knowledge": {"store": "http://chroma:8000"}})) == "http://chroma:8000"
    )
