"""Reading a config dataclass: its fields, their types, defaults and help.

A field's help is its attribute docstring (the string literal right after
the field, as in fairseq2), or ``field(metadata={"help": ...})``.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import textwrap
import typing
from dataclasses import dataclass
from typing import Any

from seqx.config.ranges import Range, range_of
from seqx.errors import ConfigError

MISSING = dataclasses.MISSING


@dataclass(frozen=True)
class FieldSpec:
    """One config field as the command line and ``seqx plugins show`` see it."""

    name: str
    """The field name (``encoder_embed_dim``)."""
    type: Any
    """The resolved type annotation."""
    default: Any
    """The default value, or :data:`MISSING` for a required field."""
    help: str
    """One paragraph of help (the field's docstring)."""
    aliases: tuple[str, ...] = ()
    """Other spellings of the flag (``-s``): ``metadata={"aliases": ("-s",)}``."""
    positional: bool = False
    """Given as a positional argument (``DATA``), not a flag: ``metadata={"positional": True}``."""
    range: Range | None = None
    """The allowed values of a numeric field: ``Annotated[int, Range(ge=1)]``."""
    const: Any = None
    """The value of a flag given without one (fairseq's ``nargs="?"`` flags, such as
    ``--remove-bpe``): ``metadata={"const": "subword_nmt"}``."""

    @property
    def flag(self) -> str:
        """The command-line flag: ``--encoder-embed-dim``."""
        return "--" + self.name.replace("_", "-")

    @property
    def usage(self) -> str:
        """How a user gives it: the flag, or ``DATA`` for a positional argument."""
        return self.name.upper() if self.positional else self.flag

    @property
    def required(self) -> bool:
        """Whether the field has no default."""
        return self.default is MISSING


def _attribute_docs(cls: type) -> dict[str, str]:
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or not dataclasses.is_dataclass(klass):
            continue
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):
            continue
        tree = ast.parse(source)
        node = next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)
        if node is None:
            continue
        body = node.body
        for stmt, nxt in zip(body, body[1:]):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(nxt, ast.Expr)
                and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)
            ):
                docs[stmt.target.id] = " ".join(inspect.cleandoc(nxt.value.value).split())
    return docs


def config_fields(cls: Any) -> tuple[FieldSpec, ...]:
    """The fields of config dataclass ``cls`` with resolved types and help."""
    return _config_fields(cls)


@functools.cache
def _config_fields(cls: Any) -> tuple[FieldSpec, ...]:
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ConfigError(f"{cls!r} is not a dataclass; a component config must be one")
    try:
        hints = typing.get_type_hints(cls)
    except Exception as exc:
        raise ConfigError(
            f"cannot resolve the type annotations of {cls.__module__}.{cls.__qualname__}: {exc}"
        ) from exc
    extras = typing.get_type_hints(cls, include_extras=True)
    docs = _attribute_docs(cls)
    out = []
    for f in dataclasses.fields(cls):
        if not f.init or f.name.startswith("_"):
            continue
        if f.default is not MISSING:
            default = f.default
        elif f.default_factory is not MISSING:
            default = f.default_factory()
        else:
            default = MISSING
        help_text = f.metadata.get("help") or docs.get(f.name, "")
        positional = bool(f.metadata.get("positional", False))
        aliases = tuple(f.metadata.get("aliases", ()))
        out.append(
            FieldSpec(
                f.name,
                hints.get(f.name, Any),
                default,
                help_text,
                aliases=aliases,
                positional=positional,
                range=range_of(extras.get(f.name)),
                const=f.metadata.get("const"),
            )
        )
    return tuple(out)


def undocumented_fields(cls: type) -> list[str]:
    """The names of ``cls``'s fields that carry no help."""
    return [f.name for f in config_fields(cls) if not f.help.strip()]
