"""Shared fixtures: an isolated user configuration and small catalogues."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tools.logs.catalogue import Catalogue, parse_signature_file

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

# CI runs the property tests with a fixed seed so that a run is reproducible; locally they explore.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads the developer's own ~/.config/shipmate, index or SHIPMATE_* variables."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    for name in list(os.environ):
        if name.startswith("SHIPMATE_"):
            monkeypatch.delenv(name)
    return home


@pytest.fixture(scope="session")
def mini_catalogue() -> Catalogue:
    """Seven purpose-written signatures, independent of the bundled catalogue's tuning."""
    path = DATA / "mini-signatures.yaml"
    return Catalogue(parse_signature_file(path, str(path)))
