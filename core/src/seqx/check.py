"""Validating registered components: targets import, configs are sound, archs resolve."""

from __future__ import annotations

from typing import Any

from seqx.config.fields import config_fields, undocumented_fields
from seqx.config.resolve import check_arch_defaults, is_config_class
from seqx.errors import SeqxError
from seqx.registry import Entry, Registry


def check_config_class(cls: Any) -> str | None:
    """What is wrong with config class ``cls`` (not a kw_only dataclass, undocumented fields)."""
    if not is_config_class(cls):
        return f"config {cls!r} is not a @dataclass(kw_only=True)"
    config_fields(cls)
    missing = undocumented_fields(cls)
    if missing:
        return (
            f"config {cls.__qualname__} has fields without a docstring: {', '.join(missing)} "
            "(write a string literal on the line after each field)"
        )
    return None


def check_entry(registry: Registry, entry: Entry) -> str | None:
    """Import ``entry``'s target and config (or resolve an arch); the failure, or None."""
    try:
        if entry.kind == "arch":
            arch = registry.resolve_arch(entry.name)
            check_arch_defaults(arch, arch.model.load_config())
            return None
        entry.load()
        cls = entry.load_config()
        if cls is not None:
            return check_config_class(cls)
    except SeqxError as exc:
        return str(exc)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
