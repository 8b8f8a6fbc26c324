"""``Registrar``: the registration API a plugin's ``seqx_register`` hook receives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seqx.errors import PluginError
from seqx.registry import KINDS, NAME_PATTERN, Entry, Provenance


class Registrar:
    """What a plugin's ``seqx_register`` receives: registers under that plugin's provenance.

    Registrations are collected and committed to the registry only when the
    plugin's hook returns without error, so a failing plugin leaves nothing
    half-registered.
    """

    def __init__(
        self, provenance: Provenance, package: str | None = None, module: str | None = None
    ) -> None:
        self.provenance = provenance
        self.package = package
        self.module = module
        self.entries: list[Entry] = []

    def add(
        self,
        kind: str,
        name: str,
        target: Any,
        *,
        config: Any = None,
        help: str = "",
        **arch: Any,
    ) -> Entry:
        """Register ``name`` of ``kind`` with an import-string (or object) target."""
        if kind not in KINDS:
            raise PluginError(
                f"plugin '{self.provenance.plugin}' registers unknown kind '{kind}'; "
                f"kinds are: {', '.join(KINDS)}"
            )
        if not isinstance(name, str) or not NAME_PATTERN.match(name):
            raise PluginError(
                f"plugin '{self.provenance.plugin}' registers {kind} {name!r}: a name is "
                "letters, digits, '_', '-' and '.', starting with a letter or '_'"
            )
        if kind != "arch" and (target is None or (isinstance(target, str) and ":" not in target)):
            raise PluginError(
                f"plugin '{self.provenance.plugin}' registers {kind} '{name}' with target "
                f"{target!r}; give 'package.module:Attribute' or the object itself"
            )
        if any(e.kind == kind and e.name == name for e in self.entries):
            raise PluginError(f"plugin '{self.provenance.plugin}' registers {kind} '{name}' twice")
        entry = Entry(
            kind=kind,
            name=name,
            target=target,
            config=config,
            help=" ".join(str(help).split()),
            provenance=self.provenance,
            package=self.package,
            module=self.module,
            **arch,
        )
        self.entries.append(entry)
        return entry

    def task(self, name: str, target: Any, *, config: Any = None, help: str = "") -> Entry:
        """Register a task (``--task NAME``)."""
        return self.add("task", name, target, config=config, help=help)

    def model(self, name: str, target: Any, *, config: Any = None, help: str = "") -> Entry:
        """Register a model; ``--arch NAME`` selects it with its config's own defaults."""
        return self.add("model", name, target, config=config, help=help)

    def arch(
        self,
        name: str,
        *,
        model: str | None = None,
        base: str | None = None,
        defaults: Mapping[str, Any] | None = None,
        help: str = "",
    ) -> Entry:
        """Register an arch: defaults over ``model``'s config, optionally over a ``base`` arch."""
        if model is None and base is None:
            raise PluginError(
                f"plugin '{self.provenance.plugin}' registers arch '{name}' with neither "
                "model= nor base="
            )
        if defaults is not None and not isinstance(defaults, Mapping):
            raise PluginError(
                f"plugin '{self.provenance.plugin}' registers arch '{name}' with defaults of "
                f"type {type(defaults).__name__}; give a dict of config field -> value"
            )
        return self.add(
            "arch", name, None, help=help, model=model, base=base, defaults=dict(defaults or {})
        )

    def archs(self, model: str, table: Mapping[str, Mapping[str, Any]]) -> list[Entry]:
        """Register a table of archs of ``model``: ``{name: {"base", "defaults", "help"}}``;
        an arch without a ``base`` is defined directly over ``model``'s config."""
        return [
            self.arch(
                name,
                model=model if arch.get("base") is None else None,
                base=arch.get("base"),
                defaults=arch.get("defaults"),
                help=arch.get("help", ""),
            )
            for name, arch in table.items()
        ]

    def criterion(self, name: str, target: Any, *, config: Any = None, help: str = "") -> Entry:
        """Register a criterion (``--criterion NAME``)."""
        return self.add("criterion", name, target, config=config, help=help)

    def optimizer(self, name: str, target: Any, *, config: Any = None, help: str = "") -> Entry:
        """Register an optimizer (``--optimizer NAME``)."""
        return self.add("optimizer", name, target, config=config, help=help)

    def lr_scheduler(self, name: str, target: Any, *, config: Any = None, help: str = "") -> Entry:
        """Register a learning-rate scheduler (``--lr-scheduler NAME``)."""
        return self.add("lr_scheduler", name, target, config=config, help=help)

    def dataset_format(
        self, name: str, target: Any, *, config: Any = None, help: str = ""
    ) -> Entry:
        """Register a dataset format (``--dataset-impl NAME``)."""
        return self.add("dataset_format", name, target, config=config, help=help)

    def tokenizer(self, name: str, target: Any, *, config: Any = None, help: str = "") -> Entry:
        """Register a tokenizer (``--tokenizer NAME``)."""
        return self.add("tokenizer", name, target, config=config, help=help)

    def bpe(self, name: str, target: Any, *, config: Any = None, help: str = "") -> Entry:
        """Register a subword model (``--bpe NAME``)."""
        return self.add("bpe", name, target, config=config, help=help)

    def scorer(self, name: str, target: Any, *, config: Any = None, help: str = "") -> Entry:
        """Register a scorer (``--scoring NAME``)."""
        return self.add("scorer", name, target, config=config, help=help)

    def command(self, name: str, target: Any, *, help: str = "") -> Entry:
        """Register a ``seqx NAME`` subcommand: a click command, loaded when run."""
        return self.add("command", name, target, help=help)

    def fairseq_adapter(self, model: str, target: Any, *, help: str = "") -> Entry:
        """Register how seqx model ``model`` maps onto fairseq's checkpoints: a
        :class:`seqx.compat.fairseq.adapter.FairseqAdapter` subclass, loaded when a fairseq
        checkpoint of one of its archs is imported or a ``model`` checkpoint is exported."""
        return self.add("fairseq_adapter", model, target, help=help)
