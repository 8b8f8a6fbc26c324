"""Resolving a run's configuration: which components, then each one's typed config.

Precedence for every field: an explicit flag, then a replayed config file,
then the arch's defaults (through its ``base`` chain), then the dataclass
default. A flag that several chosen components share (``--lr``) sets the
field in each of them; their types must agree.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from seqx.config.fields import FieldSpec, config_fields
from seqx.config.ranges import check_ranges
from seqx.config.values import from_plain, to_plain, type_name
from seqx.errors import ConfigError, SeqxError
from seqx.registry import Entry, Registry, ResolvedArch, import_target

T = TypeVar("T")


@dataclass(frozen=True)
class Section:
    """A part of a command's configuration: a fixed config, or a component chosen by a flag."""

    name: str
    """The key in the resolved config and in ``config.json`` (``task``, ``model``, ``common``)."""
    kind: str | None = None
    """The registry kind a flag chooses; None for a fixed section."""
    flag: str | None = None
    """The choosing flag (``--arch``)."""
    aliases: tuple[str, ...] = ()
    """Other spellings of the flag (``-a``)."""
    default: str | None = None
    """The component used when the flag is not given."""
    required: bool = False
    """Whether the flag must be given when there is no default."""
    config: Any = None
    """For a fixed section: its config dataclass (or an import string)."""
    title: str = ""
    """Heading in ``--help``."""


@dataclass
class Selected:
    """A section with its component chosen and its defaults known."""

    section: Section
    """The section."""
    name: str | None = None
    """The chosen component (for the model section, the arch name as given)."""
    entry: Entry | None = None
    """The registry entry (for the model section, the model's)."""
    arch: ResolvedArch | None = None
    """For the model section: the resolved arch."""
    config_cls: type | None = None
    """The component's config dataclass."""
    defaults: dict[str, Any] = field(default_factory=dict)
    """Defaults over the dataclass's own (an arch's)."""

    def fields(self) -> tuple[FieldSpec, ...]:
        """The config fields of the chosen component."""
        return config_fields(self.config_cls) if self.config_cls is not None else ()

    def default_of(self, spec: FieldSpec) -> Any:
        """The effective default of ``spec`` in this section (arch over dataclass)."""
        return self.defaults.get(spec.name, spec.default)

    @property
    def label(self) -> str:
        """``model 'transformer_tiny' (transformer)`` style description for messages."""
        if self.section.kind is None:
            return f"{self.section.name} options"
        return f"{self.section.kind} '{self.name}'"


def select(registry: Registry, section: Section, name: str | None) -> Selected:
    """Choose ``name`` (or nothing) for ``section`` and resolve its config class and defaults."""
    if section.kind is None:
        cfg = section.config
        cls = import_target(cfg) if isinstance(cfg, str) else cfg
        return Selected(section, config_cls=cls)
    if name is None:
        if section.required:
            names = registry.names(section.kind)
            shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
            raise ConfigError(
                f"{section.flag} is required: choose one of {shown or 'none installed'} "
                f"(seqx plugins shows every {section.kind})"
            )
        return Selected(section)
    if section.kind == "arch":
        arch = registry.resolve_arch(name)
        entry = arch.model
        cls = entry.load_config()
        defaults = check_arch_defaults(arch, cls)
        return Selected(section, name, entry, arch, cls, defaults)
    entry = registry.get(section.kind, name)
    return Selected(section, name, entry, None, entry.load_config())


def check_arch_defaults(arch: ResolvedArch, cls: type | None) -> dict[str, Any]:
    specs = {f.name: f for f in config_fields(cls)} if cls is not None else {}
    out: dict[str, Any] = {}
    for key, value in arch.defaults.items():
        owner = next((e for e in arch.chain if key in e.defaults), arch.chain[0])
        if key not in specs:
            close = difflib.get_close_matches(key, list(specs), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ConfigError(
                f"{owner.describe()} sets '{key}', which is not an option of model "
                f"'{arch.model.name}'{hint}"
            )
        try:
            out[key] = from_plain(specs[key].type, value)
        except (ValueError, TypeError):
            raise ConfigError(
                f"{owner.describe()} sets {key}={value!r}, but '{key}' takes "
                f"{type_name(specs[key].type)}"
            ) from None
    return out


def shared_fields(selected: Sequence[Selected]) -> dict[str, list[tuple[Selected, FieldSpec]]]:
    """Field name -> the sections that have it; a conflict of types is an error."""
    out: dict[str, list[tuple[Selected, FieldSpec]]] = {}
    for sel in selected:
        for spec in sel.fields():
            users = out.setdefault(spec.name, [])
            if users and users[0][1].type != spec.type:
                other = users[0]
                raise ConfigError(
                    f"{spec.flag} is an option of both {other[0].label} "
                    f"({type_name(other[1].type)}) and {sel.label} ({type_name(spec.type)}), "
                    "with different types; "
                    "one of these components must rename its field"
                )
            users.append((sel, spec))
    return out


@dataclass
class SectionConfig:
    """One resolved section: the component's name and its typed config."""

    name: str | None
    """The component name (for the model section, the model's)."""
    config: Any
    """The config dataclass instance, or None when the component has no options."""
    arch: str | None = None
    """For the model section: the arch name."""

    def to_dict(self) -> dict[str, Any] | None:
        """Plain data: ``{"_name": ..., field: value, ...}``."""
        if self.name is None and self.config is None:
            return None
        out: dict[str, Any] = {}
        if self.name is not None:
            out["_name"] = self.name
        if self.arch is not None:
            out["_arch"] = self.arch
        if self.config is not None:
            for spec in config_fields(type(self.config)):
                out[spec.name] = to_plain(getattr(self.config, spec.name))
        return out


class RunConfig:
    """The resolved configuration of a run: one :class:`SectionConfig` per section."""

    def __init__(self, sections: Mapping[str, SectionConfig]) -> None:
        self.sections = dict(sections)

    def section(self, cls: type[T], name: str) -> T:
        """The config of section ``name``, which must be a ``cls``."""
        sec = self.sections.get(name)
        if sec is None or not isinstance(sec.config, cls):
            got = "missing" if sec is None else type(sec.config).__name__
            raise TypeError(f"section '{name}' is not a {cls.__name__} ({got})")
        return sec.config

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, the form of ``config.json`` and of checkpoints."""
        return {name: s.to_dict() for name, s in self.sections.items()}

    def to_json(self) -> str:
        """``to_dict`` as indented JSON."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)


def build(
    selected: Sequence[Selected],
    explicit: Mapping[str, Any],
    replay: Mapping[str, Any] | None = None,
    replay_source: str = "config file",
) -> RunConfig:
    """Instantiate each section's config from explicit values, a replay and defaults."""
    shared_fields(selected)  # type agreement
    replay = replay or {}
    out: dict[str, SectionConfig] = {}
    for sel in selected:
        model_name = sel.entry.name if sel.entry is not None else sel.name
        if sel.config_cls is None:
            out[sel.section.name] = SectionConfig(model_name, None, _arch_of(sel))
            continue
        recorded = replay.get(sel.section.name) or {}
        if sel.section.kind is not None and recorded.get("_name") != model_name:
            recorded = {}
        specs = {s.name: s for s in sel.fields()}
        for key in recorded:
            if not key.startswith("_") and key not in specs:
                raise ConfigError(
                    f"{replay_source}: '{sel.section.name}.{key}' is not an option of {sel.label}"
                )
        values: dict[str, Any] = {}
        for spec in specs.values():
            if spec.name in explicit:
                values[spec.name] = explicit[spec.name]
            elif spec.name in recorded:
                try:
                    values[spec.name] = from_plain(spec.type, recorded[spec.name])
                except (ValueError, TypeError):
                    raise ConfigError(
                        f"{replay_source}: '{sel.section.name}.{spec.name}' is "
                        f"{recorded[spec.name]!r}, expected {type_name(spec.type)}"
                    ) from None
            elif spec.name in sel.defaults:
                values[spec.name] = sel.defaults[spec.name]
            elif spec.required:
                where = "argument " + spec.name.upper() if spec.positional else spec.flag
                raise ConfigError(f"missing {where}: {spec.help or 'required by ' + sel.label}")
        try:
            config = sel.config_cls(**values)
        except SeqxError:
            raise
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"invalid options for {sel.label}: {exc}") from exc
        check_ranges(config)
        out[sel.section.name] = SectionConfig(model_name, config, _arch_of(sel))
    return RunConfig(out)


def _arch_of(sel: Selected) -> str | None:
    return sel.arch.name if sel.arch is not None else None


def load_config_file(path: str) -> dict[str, Any]:
    """Read a ``config.json`` for replay; errors name the file (and line)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise ConfigError(f"config file '{path}' does not exist") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"config file '{path}', line {exc.lineno}: not valid JSON ({exc.msg})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file '{path}': {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config file '{path}': expected a JSON object of sections")
    return data


def config_from_dict(cls: type, data: Mapping[str, Any]) -> Any:
    """Rebuild a config dataclass instance from its plain ``to_dict`` form."""
    specs = {s.name: s for s in config_fields(cls)}
    values = {}
    for key, value in data.items():
        if key.startswith("_"):
            continue
        if key not in specs:
            raise ConfigError(f"'{key}' is not an option of {cls.__qualname__}")
        values[key] = from_plain(specs[key].type, value)
    return cls(**values)


def is_config_class(obj: Any) -> bool:
    """Whether ``obj`` is a keyword-only dataclass, as component configs must be."""
    if not (isinstance(obj, type) and dataclasses.is_dataclass(obj)):
        return False
    params = getattr(obj, "__dataclass_params__", None)
    kw_only = getattr(params, "kw_only", None)
    if kw_only is None:  # Python < 3.12 does not record it: check the fields
        return all(f.kw_only for f in dataclasses.fields(obj) if f.init)
    return bool(kw_only) or all(f.kw_only for f in dataclasses.fields(obj) if f.init)
