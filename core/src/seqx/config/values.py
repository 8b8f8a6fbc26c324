"""Values of config fields: parsing command-line text, and plain-JSON round trips.

Supported annotations: ``bool``, ``int``, ``float``, ``str``, ``X | None``,
``Literal[...]``, ``Enum`` subclasses, ``tuple[X, ...]``, ``tuple[X, Y]``,
``list[X]`` and ``pathlib.Path``. Sequences are written the way fairseq
users write them: ``'(0.9, 0.98)'``, ``0.9,0.98`` or ``[1, 2]``.
"""

from __future__ import annotations

import ast
import difflib
import enum
import pathlib
import types
import typing
from typing import Any

_TRUE = {"true", "1", "yes", "on", "y", "t"}
_FALSE = {"false", "0", "no", "off", "n", "f"}
_NONE = {"none", "null"}
BOOL_WORDS = _TRUE | _FALSE
"""Words that spell a boolean (``True``, ``false``, ``1``, ``no``, ...)."""


def _args(tp: Any) -> tuple[Any, ...]:
    return typing.get_args(tp)


def optional_inner(tp: Any) -> Any | None:
    """``X`` for ``X | None`` (or ``Optional[X]``); None otherwise."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in _args(tp) if a is not type(None)]
        if len(rest) == 1 and len(_args(tp)) == 2:
            return rest[0]
    return None


def choices_of(tp: Any) -> list[Any] | None:
    """The allowed values of a ``Literal`` or ``Enum`` type (through ``| None``)."""
    inner = optional_inner(tp)
    if inner is not None:
        tp = inner
    if typing.get_origin(tp) is typing.Literal:
        return list(_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return [m.value for m in tp]
    return None


def type_name(tp: Any) -> str:
    """A reader's name for ``tp``: ``int``, ``tuple of 2 floats``, ``one of a, b``."""
    inner = optional_inner(tp)
    if inner is not None:
        return f"{type_name(inner)} or None"
    choices = choices_of(tp)
    if choices is not None:
        return "one of " + ", ".join(str(c) for c in choices)
    origin = typing.get_origin(tp)
    if origin in (tuple, list):
        args = _args(tp)
        if origin is tuple and args and args[-1] is not Ellipsis:
            kinds = "/".join(type_name(a) for a in dict.fromkeys(args))
            return f"a tuple of {len(args)} {kinds}s such as {_example(args)}"
        item = type_name(args[0]) if args else "value"
        return f"a list of {item} values"
    if tp is bool:
        return "boolean (true/false)"
    return getattr(tp, "__name__", str(tp))


def _example(args: tuple[Any, ...]) -> str:
    samples = {int: "1", float: "0.5", str: "'a'", bool: "True"}
    return "'(" + ", ".join(samples.get(a, "...") for a in args) + ")'"


def _scalar(tp: Any, value: Any) -> Any:
    """Convert a Python value (from literal_eval or JSON) to scalar type ``tp``."""
    if tp is Any:
        return value
    if tp is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in BOOL_WORDS:
            return value.strip().lower() in _TRUE
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise ValueError
    if tp is int:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            return int(value)
        return int(value)
    if tp is float:
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    if tp is str:
        return value if isinstance(value, str) else str(value)
    if tp is pathlib.Path:
        return pathlib.Path(value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if isinstance(tp, type) and isinstance(value, tp):
        return value
    raise ValueError


def from_plain(tp: Any, value: Any) -> Any:
    """Convert plain data (JSON, or a Python literal) to a value of ``tp``; ValueError if not."""
    inner = optional_inner(tp)
    if inner is not None:
        return None if value is None else from_plain(inner, value)
    if value is None and tp is not Any:
        raise ValueError
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        allowed = _args(tp)
        for a in allowed:
            if value == a or (isinstance(a, str) and str(value) == a):
                return a
        raise ValueError
    if origin in (tuple, list):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            value = [value]
        args = _args(tp)
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(value) != len(args):
                raise ValueError
            return tuple(from_plain(a, v) for a, v in zip(args, value))
        item = args[0] if args else Any
        items = [from_plain(item, v) for v in value]
        return tuple(items) if origin is tuple else items
    return _scalar(tp, value)


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_LITERAL


_NOT_LITERAL = object()


def parse_text(tp: Any, text: str) -> Any:
    """Parse command-line ``text`` as a value of ``tp``; ValueError with a clear message if not."""
    try:
        return _parse(tp, text)
    except (ValueError, TypeError, KeyError):
        pass
    choices = choices_of(tp)
    if choices is not None:
        msg = f"{text!r} is not one of {', '.join(repr(str(c)) for c in choices)}"
        close = difflib.get_close_matches(text, [str(c) for c in choices], n=1)
        raise ValueError(msg + (f"; did you mean {close[0]!r}?" if close else ""))
    raise ValueError(f"expected {type_name(tp)}, got {text!r}")


def _parse(tp: Any, text: str) -> Any:
    inner = optional_inner(tp)
    if inner is not None:
        choices = choices_of(inner)
        is_choice = choices is not None and text.strip() in [str(c) for c in choices]
        if not is_choice and text.strip().lower() in _NONE:  # a choice named "none" stays one
            return None
        return _parse(inner, text)
    origin = typing.get_origin(tp)
    if origin in (tuple, list):
        value = _literal(text)
        if value is _NOT_LITERAL or isinstance(value, str):
            stripped = text.strip().strip("[]()")
            sep = "," if "," in stripped else None
            value = [v.strip().strip("'\"") for v in stripped.split(sep) if v.strip()]
        return from_plain(tp, value)
    if tp in (str, pathlib.Path) or tp is Any:
        return from_plain(tp, text)
    if tp is bool:
        return _scalar(bool, text)
    if origin is typing.Literal or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        value = _literal(text)
        for candidate in (text, value):
            try:
                return from_plain(tp, candidate)
            except (ValueError, TypeError):
                continue
        raise ValueError
    if tp in (int, float):
        value = _literal(text.strip())
        if value is _NOT_LITERAL:
            raise ValueError
        return _scalar(tp, value)
    return from_plain(tp, text)


def to_plain(value: Any) -> Any:
    """Plain JSON data for a config value (tuples become lists, enums their value)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, pathlib.PurePath):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def format_value(value: Any) -> str:
    """How a value is shown in help text: ``(0.9, 0.98)``, ``True``, ``'relu'``."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, str):
        return value
    return repr(value)
