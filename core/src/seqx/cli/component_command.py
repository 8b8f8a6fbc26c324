"""A click command whose options come from the components argv chooses.

Parsing happens in two phases: first the choosing flags (``--task``,
``--arch``, ``--optimizer``, ...) are read from argv, then the chosen
components' config fields become options, with an arch's defaults shown as
the defaults; ``--help`` lists them under one heading per component.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click
from click.core import ParameterSource

from seqx.cli.options import make_param, normalize_bool_args
from seqx.config.fields import FieldSpec
from seqx.config.resolve import (
    RunConfig,
    Section,
    Selected,
    build,
    load_config_file,
    select,
    shared_fields,
)
from seqx.errors import SeqxError


def _flag_value(args: Sequence[str], spellings: Sequence[str]) -> str | None:
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        name, eq, rest = arg.partition("=")
        if name in spellings:
            if eq:
                value = rest
            elif i + 1 < len(args):
                value = args[i + 1]
    return value


class ComponentCommand(click.Command):
    """A command configured by :class:`Section` s; its callback gets ``run_config``."""

    def __init__(
        self,
        name: str,
        sections: Sequence[Section],
        callback: Callable[..., Any],
        params: Sequence[click.Parameter] = (),
        **kwargs: Any,
    ) -> None:
        self.sections = tuple(sections)
        self.static_params: list[click.Parameter] = list(params) + [
            click.Option(
                ["--config", "config_file"],
                metavar="FILE",
                help="Replay a saved config.json (flags given here override it).",
            ),
        ]
        self.choice_params: list[click.Parameter] = [
            click.Option(
                [s.flag, *s.aliases, f"{s.name}_choice"],
                default=None,
                metavar="NAME",
                help=f"The {s.kind}.",
            )
            for s in self.sections
            if s.flag
        ]
        self.headings: dict[str, str] = {}
        self.notes: list[str] = []
        self.selected: list[Selected] = []
        super().__init__(
            name, callback=callback, params=self.static_params + self.choice_params, **kwargs
        )

    # -- phase one: which components ---------------------------------------------------

    def select_components(self, args: Sequence[str], help_only: bool) -> list[Selected]:
        """Choose every section's component from argv, a replayed file, or its default."""
        from seqx.plugins import get_registry

        registry = get_registry()
        config_file = _flag_value(args, ["--config"])
        replay = load_config_file(config_file) if config_file else {}
        selected = []
        for section in self.sections:
            name = _flag_value(args, [section.flag, *section.aliases]) if section.flag else None
            explicit = name is not None
            recorded = replay.get(section.name) or {}
            if name is None:
                name = recorded.get("_arch") or recorded.get("_name") or section.default
            if help_only and section.kind and name is None:
                continue
            try:
                selected.append(select(registry, section, name))
            except SeqxError as exc:
                if help_only and not explicit and section.kind:
                    self.notes.append(f"{section.flag} {name}: {exc}")
                    continue
                raise
        return selected

    def accepted_flags(self, args: Sequence[str]) -> set[str]:
        """Every long flag this command takes once ``args`` has chosen its components."""
        selected = self.select_components(args, help_only=True)
        params = self.static_params + self.choice_params
        params += [make_param(spec, None) for sel in selected for spec in sel.fields()]
        return {
            opt
            for p in params
            for opt in (*p.opts, *getattr(p, "secondary_opts", ()))
            if opt.startswith("--")
        }

    # -- phase two: their options ------------------------------------------------------

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        help_only = any(a in ctx.help_option_names for a in args) or not args
        self.notes = []
        sections = [s for s in self.sections if s.flag]
        for param, section in zip(self.choice_params, sections):
            param.help = _choice_help(section)
        try:
            self.selected = self.select_components(args, help_only)
            shared = shared_fields(self.selected)
        except SeqxError as exc:
            raise click.UsageError(str(exc), ctx) from None
        params: list[click.Parameter] = []
        self.headings = {}
        bool_specs: list[FieldSpec] = []
        for sel in self.selected:
            for spec in sel.fields():
                if spec.name in self.headings:
                    continue
                users = shared[spec.name]
                self.headings[spec.name] = _heading(sel) if len(users) == 1 else "Shared"
                params.append(make_param(spec, sel.default_of(spec)))
                if spec.type is bool and not spec.positional:
                    bool_specs.append(spec)
        taken = {n for p in self.static_params + self.choice_params for n in p.opts}
        params = [p for p in params if not (set(p.opts) & taken)]
        self.params = self.static_params + [p for p in params if isinstance(p, click.Argument)]
        self.params += self.choice_params + [p for p in params if isinstance(p, click.Option)]
        try:
            return super().parse_args(ctx, normalize_bool_args(args, bool_specs))
        except click.NoSuchOption as exc:
            from seqx.cli.unknown_flags import explain_unknown_flag

            why = explain_unknown_flag(exc.option_name, self.sections, self.selected)
            if why is None:
                raise
            raise click.UsageError(why, ctx) from None

    def resolve(self, ctx: click.Context) -> RunConfig:
        """Build the run's configuration from what was parsed."""
        explicit = {}
        for name, value in ctx.params.items():
            if name in self.headings and ctx.get_parameter_source(name) in (
                ParameterSource.COMMANDLINE,
                ParameterSource.ENVIRONMENT,
            ):
                explicit[name] = value
        config_file = ctx.params.get("config_file")
        replay = load_config_file(config_file) if config_file else None
        return build(self.selected, explicit, replay, replay_source=config_file or "")

    def invoke(self, ctx: click.Context) -> Any:
        try:
            run_config = self.resolve(ctx)
        except SeqxError as exc:
            raise click.UsageError(str(exc), ctx) from None
        static = {p.name for p in self.static_params}
        ctx.params = {k: v for k, v in ctx.params.items() if k in static}
        ctx.params["run_config"] = run_config
        return super().invoke(ctx)

    # -- help --------------------------------------------------------------------------

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        groups: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            heading = self.headings.get(param.name or "", "Options")
            if param in self.choice_params:
                heading = "Components"
            groups.setdefault(heading, []).append(record)
        for heading, rows in groups.items():
            with formatter.section(heading):
                formatter.write_dl(rows)
        if self.notes:
            with formatter.section("Not available"):
                for note in self.notes:
                    formatter.write_text(note)


def _choice_help(section: Section) -> str:
    from seqx.plugins import get_registry
    from seqx.registry import KIND_TITLES

    assert section.kind is not None
    registry = get_registry()
    names = registry.names(section.kind)
    if section.kind == "arch":
        names = sorted(set(names) | set(registry.names("model")))
    text = f"The {KIND_TITLES[section.kind]}"
    text += f" (default: {section.default})." if section.default else "."
    text += f" Installed: {', '.join(names)}." if names else " None installed."
    return text


def _heading(sel: Selected) -> str:
    section = sel.section
    if section.kind is None:
        return section.title or section.name.capitalize()
    if section.kind == "arch" and sel.arch is not None:
        model = sel.arch.model
        via = f" -> model {model.name}" if model.name != sel.name else ""
        return f"Model: --arch {sel.name}{via} ({model.provenance.describe()})"
    assert sel.entry is not None
    kind = section.kind.replace("_", " ").capitalize()
    return f"{kind}: {sel.name} ({sel.entry.provenance.describe()})"
