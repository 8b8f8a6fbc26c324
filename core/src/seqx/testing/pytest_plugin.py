"""The pytest plugin of seqx (entry point ``pytest11``): plugin-isolation fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from seqx.testing.harness import PluginHarness

PLUGIN_ENV = ("SEQX_LOAD_PLUGINS", "SEQX_DISABLE_PLUGINS", "SEQX_PLUGIN_PATH", "SEQX_PLUGIN_TRACE")
"""The environment variables that steer plugin loading."""


def clear_plugin_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset every plugin-loading variable for the rest of the test."""
    for var in PLUGIN_ENV:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def seqx_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginHarness]:
    """An isolated, active plugin manager: core's built-ins only, autoload off.

    Register the plugin under test with ``seqx_plugins.register(...)``; the
    environment's plugin controls are cleared so the test sees nothing else.
    """
    clear_plugin_env(monkeypatch)
    with PluginHarness() as harness:
        yield harness
