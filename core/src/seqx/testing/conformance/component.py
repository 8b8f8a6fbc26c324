"""``ComponentConformance``: what every registered component must satisfy.

Each kind's suite (model, criterion, optimizer, ...) extends this one.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest

from seqx.check import check_config_class
from seqx.config.fields import config_fields
from seqx.config.resolve import config_from_dict
from seqx.config.values import to_plain
from seqx.plugins import load_plugins
from seqx.registry import Entry, Registry
from seqx.testing.harness import PluginHarness


class ComponentConformance:
    """Subclass with ``kind``, ``name`` and ``plugin`` (None: the installed plugins)."""

    kind: ClassVar[str]
    """The registry kind (``model``, ``optimizer``, ...)."""
    name: ClassVar[str]
    """The registered name."""
    plugin: ClassVar[str | None] = None
    """Import string of the plugin module that registers it; None uses the installed ones."""
    config_overrides: ClassVar[dict[str, Any]] = {}
    """Values for the config's required fields, to build a default config."""

    @pytest.fixture
    def registry(self, seqx_plugins: PluginHarness) -> Registry:
        if self.plugin is None:
            return load_plugins().registry
        seqx_plugins.register(self.plugin)
        return seqx_plugins.registry

    @pytest.fixture
    def entry(self, registry: Registry) -> Entry:
        return registry.get(self.kind, self.name)

    @pytest.fixture
    def config(self, entry: Entry) -> Any:
        cls = entry.load_config()
        return None if cls is None else cls(**self.config_overrides)

    def test_target_loads(self, entry: Entry) -> None:
        assert entry.load() is not None

    def test_has_help(self, entry: Entry) -> None:
        assert entry.help, f"{entry.describe()} has no help line"

    def test_config_is_documented_kw_only_dataclass(self, entry: Entry) -> None:
        cls = entry.load_config()
        if cls is None:
            pytest.skip("no config")
        problem = check_config_class(cls)
        assert problem is None, problem

    def test_config_round_trips_json(self, config: Any) -> None:
        if config is None:
            pytest.skip("no config")
        cls = type(config)
        plain = {f.name: to_plain(getattr(config, f.name)) for f in config_fields(cls)}
        assert config_from_dict(cls, json.loads(json.dumps(plain))) == config
