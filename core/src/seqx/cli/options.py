"""Click options generated from config fields.

``encoder_embed_dim`` becomes ``--encoder-embed-dim``; a boolean becomes a
``--flag/--no-flag`` pair (``no_epoch_checkpoints`` pairs with
``--epoch-checkpoints``) that also takes fairseq's spelled-out form
``--left-pad-source False``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from seqx.config.fields import MISSING, FieldSpec
from seqx.config.values import BOOL_WORDS, choices_of, format_value, parse_text, type_name


class FieldType(click.ParamType):
    """Parses a flag's text as the field's annotation (tuples, lists, choices, None)."""

    def __init__(self, annotation: Any) -> None:
        self.annotation = annotation
        self.name = type_name(annotation)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return parse_text(self.annotation, value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        choices = choices_of(self.annotation)
        if choices is not None:
            return "[" + "|".join(str(c) for c in choices) + "]"
        base = type_name(self.annotation).split(" or ")[0]
        if base.startswith("a tuple") or base.startswith("a list"):
            return "LIST"
        return {"int": "INT", "float": "FLOAT", "str": "TEXT"}.get(base, base.upper())


def negative_flag(spec: FieldSpec) -> str:
    """The flag that sets boolean ``spec`` to False."""
    if spec.name.startswith("no_"):
        return "--" + spec.name[3:].replace("_", "-")
    return "--no-" + spec.name.replace("_", "-")


def make_param(spec: FieldSpec, default: Any) -> click.Parameter:
    """The click parameter for ``spec``; ``default`` (arch-aware) is shown in its help.

    Click's own default stays None so that an explicitly given value can be
    told apart from a default.
    """
    help_text = spec.help
    if default is not None and default is not MISSING:
        help_text = f"{help_text}  [default: {format_value(default)}]".strip()
    elif default is MISSING:
        help_text = f"{help_text}  [required]".strip()
    if spec.positional:
        return click.Argument(
            [spec.name], required=False, type=FieldType(spec.type), metavar=spec.name.upper()
        )
    if spec.type is bool:
        return click.Option(
            [f"{spec.flag}/{negative_flag(spec)}", *spec.aliases, spec.name],
            default=None,
            help=help_text,
        )
    if spec.const is not None:  # a value is optional: the flag alone gives ``const``
        help_text = f"{help_text}  [alone: {format_value(spec.const)}]"
        return click.Option(
            [spec.flag, *spec.aliases, spec.name],
            type=FieldType(spec.type),
            default=None,
            is_flag=False,
            flag_value=spec.const,
            help=help_text,
        )
    return click.Option(
        [spec.flag, *spec.aliases, spec.name],
        type=FieldType(spec.type),
        default=None,
        help=help_text,
    )


def normalize_bool_args(args: Sequence[str], bool_specs: Sequence[FieldSpec]) -> list[str]:
    """Rewrite ``--flag False`` / ``--flag=true`` into ``--flag`` or its negative flag."""
    flags = {s.flag: s for s in bool_specs}
    out: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.extend(args[i:])
            break
        name, eq, value = arg.partition("=")
        spec = flags.get(name)
        if spec is not None:
            if eq:
                if value.lower() not in BOOL_WORDS:
                    raise click.BadParameter(
                        f"expected true or false, got {value!r}", param_hint=f"'{name}'"
                    )
                out.append(name if parse_text(bool, value) else negative_flag(spec))
                i += 1
                continue
            nxt = args[i + 1] if i + 1 < len(args) else None
            if nxt is not None and nxt.lower() in BOOL_WORDS:
                out.append(name if parse_text(bool, nxt) else negative_flag(spec))
                i += 2
                continue
        out.append(arg)
        i += 1
    return out
