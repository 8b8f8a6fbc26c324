"""The registry of named components: every kind, lazy targets, archs, conflicts.

Plugins register through a :class:`Registrar` bound to their provenance; the
registry keeps every registration, so two plugins claiming the same kind and
name is reported (naming both) when the name is used, never overwritten.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seqx.errors import (
    ComponentConflictError,
    ConfigError,
    PluginError,
    UnknownComponentError,
)
from seqx.known import distribution_providing
from seqx.version import CORE_DISTRIBUTION, __version__

KINDS: tuple[str, ...] = (
    "task",
    "model",
    "arch",
    "criterion",
    "optimizer",
    "lr_scheduler",
    "dataset_format",
    "tokenizer",
    "bpe",
    "scorer",
    "command",
    "fairseq_adapter",
)
"""Every kind of component a plugin may register."""

KIND_TITLES: dict[str, str] = {
    "task": "task",
    "model": "model",
    "arch": "model architecture",
    "criterion": "criterion (loss)",
    "optimizer": "optimizer",
    "lr_scheduler": "learning-rate scheduler",
    "dataset_format": "dataset format",
    "tokenizer": "tokenizer",
    "bpe": "subword model",
    "scorer": "scorer",
    "command": "command",
    "fairseq_adapter": "fairseq checkpoint adapter",
}
"""How each kind is named in help text."""

KIND_FLAGS: dict[str, str] = {
    "task": "--task",
    "arch": "--arch",
    "criterion": "--criterion",
    "optimizer": "--optimizer",
    "lr_scheduler": "--lr-scheduler",
    "dataset_format": "--dataset-impl",
    "tokenizer": "--tokenizer",
    "bpe": "--bpe",
    "scorer": "--scoring",
}
"""The command-line flag that chooses a component of each kind."""

NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
"""What a component name may look like."""


@dataclass(frozen=True)
class Provenance:
    """Where a plugin (and so each component it registers) comes from."""

    plugin: str
    """The plugin's name (its entry point name, module name or ``builtin``)."""
    source: str = "entrypoint"
    """One of ``builtin``, ``entrypoint``, ``local`` (a plugin dir) or ``module`` (``-p``)."""
    distribution: str | None = None
    """The installed distribution that provides the plugin, if any."""
    version: str | None = None
    """That distribution's version."""
    path: str | None = None
    """The file of a local plugin."""

    def describe(self) -> str:
        """A short human form: ``builtin``, ``seqx-lstm 0.1.0``, ``local: PATH``."""
        if self.source == "builtin":
            return "builtin"
        if self.source == "local":
            return f"local: {self.path}"
        if self.distribution:
            return f"{self.distribution} {self.version or ''}".strip()
        return f"module: {self.plugin}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON output and checkpoints."""
        return {
            "plugin": self.plugin,
            "source": self.source,
            "distribution": self.distribution,
            "version": self.version,
            "path": self.path,
        }


BUILTIN = Provenance(
    plugin="builtin", source="builtin", distribution=CORE_DISTRIBUTION, version=__version__
)


def import_target(target: str, package: str | None = None, module: str | None = None) -> Any:
    """Import ``"pkg.module:Attr.sub"``.

    ``".module:Attr"`` is relative to ``package``, and ``":Attr"`` names an
    attribute of ``module`` (the registering plugin's own module).
    """
    module_name, sep, attr = target.partition(":")
    if not sep or not attr:
        raise ValueError(f"target {target!r} is not of the form 'package.module:Attribute'")
    if not module_name:
        if not module:
            raise ValueError(f"target {target!r} names no module and has no plugin module")
        module_name = module
    elif module_name.startswith("."):
        if not package:
            raise ValueError(f"relative target {target!r} has no package to resolve against")
        if module_name == ".":
            module_name = package
        else:
            module_name = importlib.util.resolve_name(module_name, package)
    obj: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


@dataclass
class Entry:
    """One registered component: kind, name, lazy target, config, help, provenance."""

    kind: str
    """The kind (one of :data:`KINDS`)."""
    name: str
    """The name users write (``--arch NAME``)."""
    target: Any
    """An import string ``module:attr`` (imported on first use) or the object itself."""
    config: Any = None
    """The config dataclass, as an import string or the class; None for no options."""
    help: str = ""
    """One line of help."""
    provenance: Provenance = BUILTIN
    """The plugin that registered it."""
    package: str | None = None
    """The registering plugin's package, against which relative targets resolve."""
    module: str | None = None
    """The registering plugin's module, in which ``":Attr"`` targets resolve."""
    model: str | None = None
    """For an arch: the model whose config it sets defaults for."""
    base: str | None = None
    """For an arch: the arch whose defaults it extends."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """For an arch: field defaults over the model's config."""

    def describe(self) -> str:
        """``model 'transformer' (seqx-transformer 0.1.0)``."""
        return f"{self.kind} '{self.name}' ({self.provenance.describe()})"

    def record(self) -> dict[str, Any]:
        """What checkpoints record of it: name, plugin, distribution, version."""
        p = self.provenance
        return {
            "name": self.name,
            "plugin": p.plugin,
            "distribution": p.distribution,
            "version": p.version,
        }

    def _import(self, what: str, target: Any) -> Any:
        if not isinstance(target, str):
            return target
        try:
            return import_target(target, self.package, self.module)
        except Exception as exc:  # any failure inside the plugin's module
            raise PluginError(
                f"{self.describe()}: cannot import its {what} '{target}': "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def load(self) -> Any:
        """Import and return the target (an arch has none: use its model's)."""
        if self.kind == "arch":
            raise TypeError(
                "an arch has no target of its own; resolve it with Registry.resolve_arch"
            )
        return self._import("target", self.target)

    def load_config(self) -> type | None:
        """Import and return the config dataclass, or None."""
        if self.config is None:
            return None
        return self._import("config", self.config)


@dataclass(frozen=True)
class ResolvedArch:
    """An arch resolved through its ``base`` chain down to its model."""

    name: str
    """The arch name as given."""
    model: Entry
    """The model entry the arch configures."""
    defaults: dict[str, Any]
    """Merged defaults: bases first, the named arch last."""
    chain: tuple[Entry, ...]
    """The arch entries from the named one down to the root base (empty for a bare model)."""


def _close(name: str, candidates: list[str]) -> list[str]:
    return difflib.get_close_matches(name, candidates, n=3, cutoff=0.6)


class Registry:
    """Every registered component, by kind and name."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], list[Entry]] = {}

    def add(self, entry: Entry) -> None:
        """Record ``entry``; a second registration of its kind and name is kept as a conflict."""
        self._entries.setdefault((entry.kind, entry.name), []).append(entry)

    def remove_plugin(self, plugin: str) -> None:
        """Forget everything that ``plugin`` registered."""
        for key in list(self._entries):
            kept = [e for e in self._entries[key] if e.provenance.plugin != plugin]
            if kept:
                self._entries[key] = kept
            else:
                del self._entries[key]

    def names(self, kind: str) -> list[str]:
        """The sorted names registered for ``kind``."""
        return sorted(name for k, name in self._entries if k == kind)

    def entries(self, kind: str | None = None) -> list[Entry]:
        """Every registration (conflicting ones included), sorted by kind and name."""
        out = [e for (k, _), es in self._entries.items() if kind in (None, k) for e in es]
        return sorted(out, key=lambda e: (KINDS.index(e.kind), e.name))

    def conflicts(self) -> list[list[Entry]]:
        """Each kind and name registered more than once, with every registration."""
        return [es for es in self._entries.values() if len(es) > 1]

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._entries

    def get(self, kind: str, name: str) -> Entry:
        """The entry for ``kind`` ``name``; raise a clear error if unknown or in conflict."""
        found = self._entries.get((kind, name))
        if not found:
            raise UnknownComponentError(self.unknown_message(kind, name))
        if len(found) > 1:
            raise ComponentConflictError(conflict_message(found))
        return found[0]

    def unknown_message(self, kind: str, name: str, candidates: list[str] | None = None) -> str:
        """Say that ``name`` is unknown, with near misses and a pip line when one is known."""
        if candidates is None:
            candidates = self.names(kind)
        flag = KIND_FLAGS.get(kind)
        msg = f"unknown {kind} '{name}'" + (f" (given to {flag})" if flag else "")
        close = _close(name, candidates)
        if close:
            msg += ". Did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
        else:
            msg += "."
        dist = distribution_providing(kind, name)
        if dist is None and kind == "arch":
            dist = distribution_providing("model", name)
        if dist:
            msg += f" '{name}' is provided by {dist}: pip install {dist}"
        elif candidates:
            msg += f" Known: {', '.join(candidates)}."
        else:
            msg += f" No {kind} is registered; install a plugin that provides one."
        return msg

    def resolve_arch(self, name: str) -> ResolvedArch:
        """Resolve ``--arch NAME``: an arch (through its bases) or a bare model name."""
        if (("arch", name) not in self._entries) and (("model", name) in self._entries):
            return ResolvedArch(name=name, model=self.get("model", name), defaults={}, chain=())
        if ("arch", name) not in self._entries:
            candidates = sorted(set(self.names("arch")) | set(self.names("model")))
            raise UnknownComponentError(self.unknown_message("arch", name, candidates))
        chain: list[Entry] = []
        entry = self.get("arch", name)
        while True:
            if any(e.name == entry.name for e in chain):
                loop = " -> ".join([e.name for e in chain] + [entry.name])
                raise ConfigError(f"arch '{name}' has a cycle in its base chain: {loop}")
            chain.append(entry)
            if entry.base is None:
                break
            if ("arch", entry.base) not in self._entries:
                raise ConfigError(
                    f"{entry.describe()} names base arch '{entry.base}', which is not registered. "
                    + self.unknown_message("arch", entry.base)
                )
            entry = self.get("arch", entry.base)
        model_name = next((e.model for e in chain if e.model), None)
        for e in chain:
            if e.model and e.model != model_name:
                raise ConfigError(
                    f"{chain[0].describe()} is for model '{model_name}' but its base "
                    f"{e.describe()} is for model '{e.model}'"
                )
        if model_name is None:
            raise ConfigError(f"{chain[0].describe()} names no model (give model=...)")
        if ("model", model_name) not in self._entries:
            raise ConfigError(
                f"{chain[0].describe()} is for model '{model_name}', which is not registered. "
                + self.unknown_message("model", model_name)
            )
        defaults: dict[str, Any] = {}
        for e in reversed(chain):
            defaults.update(e.defaults)
        return ResolvedArch(
            name=name, model=self.get("model", model_name), defaults=defaults, chain=tuple(chain)
        )

    def archs_of(self, model: str) -> list[str]:
        """The archs that resolve to ``model`` (broken ones left out)."""
        out = []
        for arch in self.names("arch"):
            try:
                if self.resolve_arch(arch).model.name == model:
                    out.append(arch)
            except Exception:
                continue
        return out


def conflict_message(found: list[Entry]) -> str:
    """Name every plugin and distribution that registered the same kind and name."""
    first = found[0]
    who = " and ".join(f"{e.provenance.describe()} (plugin '{e.provenance.plugin}')" for e in found)
    return (
        f"{first.kind} '{first.name}' is registered by more than one plugin: {who}. "
        f"Uninstall one of them, or disable one with -p no:PLUGIN or SEQX_DISABLE_PLUGINS."
    )
