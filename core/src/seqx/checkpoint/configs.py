"""A checkpoint's run configuration, rebuilt with the installed components' config classes."""

from __future__ import annotations

from typing import Any

from seqx.config.resolve import RunConfig, SectionConfig, config_from_dict
from seqx.errors import SeqxError
from seqx.registry import Registry
from seqx.version import CORE_DISTRIBUTION

SECTION_KINDS = {"task": "task", "model": "model", "dataset_format": "dataset_format"}
"""The sections whose components decoding rebuilds; the others are kept by name."""


def missing_component(
    path: str, state: dict[str, Any], section: str, kind: str, name: str
) -> SeqxError:
    """The error for a checkpoint whose ``kind`` ``name`` is not installed: which
    distribution to ``pip install``, from the provenance the checkpoint recorded."""
    prov = (state.get("components") or {}).get(section) or {}
    dist = prov.get("distribution")
    if dist and dist not in ("seqx", CORE_DISTRIBUTION):
        return SeqxError(
            f"checkpoint '{path}' needs {kind} '{name}' from {dist} {prov.get('version') or ''}"
            f", which is not installed: pip install {dist}"
        )
    return SeqxError(f"checkpoint '{path}' needs {kind} '{name}', which no plugin provides")


def run_config_of(state: dict[str, Any], registry: Registry, path: str) -> RunConfig:
    """Rebuild a checkpoint's configuration with the installed components' config classes."""
    sections = {}
    for section, data in (state.get("config") or {}).items():
        if data is None:
            sections[section] = SectionConfig(None, None)
            continue
        name = data.get("_name")
        config = None
        if name is not None:
            kind = SECTION_KINDS.get(section)
            if kind is None:
                sections[section] = SectionConfig(name, None, data.get("_arch"))
                continue
            if (kind, name) not in registry:
                raise missing_component(path, state, section, kind, name)
            cls = registry.get(kind, name).load_config()
            config = config_from_dict(cls, data) if cls is not None else None
        sections[section] = SectionConfig(name, config, data.get("_arch"))
    return RunConfig(sections)
