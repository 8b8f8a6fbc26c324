"""Building a run's components from its resolved configuration and the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqx.config.resolve import RunConfig
from seqx.errors import SeqxError
from seqx.registry import Entry, Registry


@dataclass
class Chosen:
    """A chosen component: its registry entry and its config."""

    entry: Entry | None
    """The registry entry (None when the section chose nothing)."""
    config: Any
    """Its config instance."""

    def load(self) -> Any:
        """The component's class (or factory); an error when the section chose nothing."""
        if self.entry is None:
            raise SeqxError("no component chosen")
        return self.entry.load()

    def provenance(self) -> dict[str, Any] | None:
        """What checkpoints record of it: name, plugin, distribution, version."""
        return None if self.entry is None else self.entry.record()


def chosen(registry: Registry, run_config: RunConfig, section: str, kind: str) -> Chosen:
    """The component ``run_config`` chose for ``section``."""
    sec = run_config.sections.get(section)
    if sec is None or sec.name is None:
        return Chosen(None, sec.config if sec is not None else None)
    return Chosen(registry.get(kind, sec.name), sec.config)


def build(c: Chosen, *args: Any) -> Any:
    """Instantiate a chosen component as ``target(config, *args)``."""
    return c.load()(c.config, *args)


SECTION_KINDS = {
    "task": "task",
    "model": "model",
    "criterion": "criterion",
    "optimizer": "optimizer",
    "lr_scheduler": "lr_scheduler",
    "dataset_format": "dataset_format",
    "tokenizer": "tokenizer",
    "bpe": "bpe",
}
"""Section of a training configuration -> registry kind."""
