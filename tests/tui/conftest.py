"""Textual tests run their pilot on asyncio (anyio's pytest plugin: mark tests `@pytest.mark.anyio`)."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
