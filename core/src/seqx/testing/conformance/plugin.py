"""``PluginConformance``: what every plugin module must satisfy."""

from __future__ import annotations

import json
from typing import ClassVar

import pytest

from seqx.check import check_entry
from seqx.config.fields import config_fields
from seqx.config.resolve import check_arch_defaults, config_from_dict
from seqx.config.values import to_plain
from seqx.registry import Entry, Registry
from seqx.testing.conformance.light import heavy_imports
from seqx.testing.harness import PluginHarness


class PluginConformance:
    """Subclass with ``plugin = "pkg.plugin"`` (the module your entry point names)."""

    plugin: ClassVar[str]
    """Import string of the plugin module."""

    @pytest.fixture
    def registry(self, seqx_plugins: PluginHarness) -> Registry:
        seqx_plugins.register(self.plugin)
        return seqx_plugins.registry

    @pytest.fixture
    def entries(self, registry: Registry) -> list[Entry]:
        return [e for e in registry.entries() if e.provenance.plugin == self.plugin]

    def test_registers_components(self, entries: list[Entry]) -> None:
        assert entries, f"plugin {self.plugin} registers nothing"

    def test_plugin_module_is_light(self) -> None:
        heavy = heavy_imports([self.plugin])[self.plugin]
        assert not heavy, (
            f"importing {self.plugin} loads {heavy}; a plugin module must register import "
            "strings so that `seqx --help` stays fast"
        )

    def test_config_modules_are_light(self, entries: list[Entry]) -> None:
        modules = sorted({e.config.partition(":")[0] for e in entries if isinstance(e.config, str)})
        if not modules:
            pytest.skip("no config given as an import string")
        heavy = {m: h for m, h in heavy_imports(modules).items() if h}
        assert not heavy, f"config modules import heavy libraries: {heavy}"

    def test_targets_configs_and_archs_load(self, registry: Registry, entries: list[Entry]) -> None:
        failures = {e.describe(): check_entry(registry, e) for e in entries}
        failures = {k: v for k, v in failures.items() if v}
        assert not failures, failures

    def test_no_conflicts(self, registry: Registry) -> None:
        assert not registry.conflicts()

    def test_default_configs_round_trip_json(
        self, registry: Registry, entries: list[Entry]
    ) -> None:
        for entry in entries:
            if entry.kind == "arch":
                arch = registry.resolve_arch(entry.name)
                cls = arch.model.load_config()
                overrides = check_arch_defaults(arch, cls)
            else:
                cls = entry.load_config()
                overrides = {}
            if cls is None or any(
                f.required and f.name not in overrides for f in config_fields(cls)
            ):
                continue
            config = cls(**overrides)
            plain = {f.name: to_plain(getattr(config, f.name)) for f in config_fields(cls)}
            again = config_from_dict(cls, json.loads(json.dumps(plain)))
            assert again == config, f"{entry.describe()}: config changed through JSON"
            for key, value in overrides.items():
                assert getattr(config, key) == value
