"""Layer and attention specs written as fairseq writes them (``'[(512, 3)] * 20'``), read
without ``eval``: only literals, lists, tuples, ``+`` and ``*`` are accepted (light module)."""

from __future__ import annotations

import ast
import operator
from typing import Any

from seqx.errors import ConfigError

_OPS = {ast.Add: operator.add, ast.Mult: operator.mul}


def _value(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, bool)):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_value(e) for e in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_value(node.left), _value(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_value(node.operand)
    raise ValueError(f"'{ast.unparse(node)}' is not a literal, list, tuple, + or *")


def literal(text: str, flag: str) -> Any:
    """The value of ``text`` (a Python literal expression), or a ConfigError naming ``flag``."""
    try:
        return _value(ast.parse(str(text).strip(), mode="eval").body)
    except (SyntaxError, ValueError, TypeError) as exc:
        detail = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        raise ConfigError(
            f"{flag} '{text}' is not a layer spec ({detail}); write it as fairseq does, "
            "e.g. '[(512, 3)] * 20' or '[(512, 3)] * 9 + [(1024, 3)] * 4'"
        ) from None


def conv_layers(text: str, flag: str) -> list[tuple[int, int, int]]:
    """``[(out_channels, kernel_size[, residual])...]``, residual defaulting to 1."""
    value = literal(text, flag)
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{flag} '{text}' must be a non-empty list of (channels, kernel) tuples")
    layers = []
    for i, spec in enumerate(value):
        if (
            not isinstance(spec, tuple)
            or len(spec) not in (2, 3)
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in spec)
            or spec[0] < 1
            or spec[1] < 1
        ):
            raise ConfigError(
                f"{flag}: layer {i + 1} is {spec!r}; each layer is (channels, kernel_size) "
                "or (channels, kernel_size, residual) with positive integers"
            )
        layers.append((spec[0], spec[1], spec[2] if len(spec) == 3 else 1))
    return layers


def attention_layers(text: str, count: int, flag: str) -> list[bool]:
    """One bool per decoder layer from ``'True'`` or ``'[True, False, ...]'``."""
    value = literal(text, flag)
    if isinstance(value, bool):
        return [value] * count
    if not isinstance(value, list) or not all(isinstance(v, bool) for v in value):
        raise ConfigError(f"{flag} '{text}' must be True, False or a list of them")
    if len(value) != count:
        raise ConfigError(
            f"{flag} has {len(value)} entries but the decoder has {count} layers; "
            "give one per layer or a single True/False"
        )
    return value
