"""Shared fixtures of core's tests."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from seqx.testing.distributions import write_distribution
from seqx.testing.pytest_plugin import clear_plugin_env


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """Install fake distributions into a temporary folder on ``sys.path``."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    clear_plugin_env(monkeypatch)
    before = set(sys.modules)

    def install(name: str, version: str = "1.0", **kwargs: Any) -> Path:
        return write_distribution(folder, name, version, **kwargs)

    install.folder = folder  # type: ignore[attr-defined]
    yield install
    for mod in set(sys.modules) - before:
        if mod.startswith(("fake", "seqx.local_plugins.")):
            del sys.modules[mod]
