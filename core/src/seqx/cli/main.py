"""The ``seqx`` entry point: global plugin options, the lazy command group, errors.

``--plugin-dir DIR`` (alias ``--user-dir``) and ``-p no:NAME`` are read from
anywhere on the command line before click parses it, because the plugins
they choose decide which commands and options exist.
"""

from __future__ import annotations

import difflib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

import click

from seqx.errors import SeqxError
from seqx.version import __version__


def prescan(args: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """Split out ``--plugin-dir``/``--user-dir`` and ``-p no:NAME``.

    Returns the plugin dirs, the disabled plugin names and the other arguments.
    """
    dirs: list[str] = []
    disabled: list[str] = []
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "--":
            rest.append(arg)
            rest.extend(it)
            break
        name, eq, value = arg.partition("=")
        if name in ("--plugin-dir", "--user-dir"):
            value = value if eq else next(it, "")
            if not value:
                raise click.UsageError(f"{name} needs a directory")
            dirs.append(value)
        elif arg == "-p" or (arg.startswith("-p") and arg[2:].startswith("no:")):
            value = arg[2:] if arg != "-p" else next(it, "")
            if not value.startswith("no:") or not value[3:]:
                raise click.UsageError(f"-p takes no:NAME (to disable plugin NAME), got {value!r}")
            disabled.append(value[3:])
        else:
            rest.append(arg)
    return dirs, disabled, rest


_default_formatwarning = warnings.formatwarning


def _format_warning(message: Any, category: type, filename: str, lineno: int, *a: Any) -> str:
    from seqx.plugins import PluginWarning

    if issubclass(category, PluginWarning):
        return f"seqx: warning: {message}\n"
    return _default_formatwarning(message, category, filename, lineno, *a)  # type: ignore[arg-type]


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from seqx.plugins import get_plugin_manager

    click.echo(f"seqx {__version__}")
    for info in get_plugin_manager().infos:
        if info.provenance.source == "builtin":
            continue
        version = info.provenance.version or ""
        where = info.provenance.distribution or info.provenance.describe()
        status = "" if info.status == "ok" else f" ({info.status})"
        click.echo(f"  {info.name}: {where} {version}{status}".rstrip())
    ctx.exit()


class SeqxGroup(click.Group):
    """A group whose commands are the registry's ``command`` entries, imported when run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from seqx.plugins import get_registry

        return get_registry().names("command")

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from seqx.plugins import get_registry

        registry = get_registry()
        if ("command", cmd_name) not in registry:
            return None
        entry = registry.get("command", cmd_name)
        command = entry.load()
        if not isinstance(command, click.Command):
            raise SeqxError(f"{entry.describe()}: target '{entry.target}' is not a click command")
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=2)
            hint = " Did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else ""
            ctx.fail(f"No such command '{name}'.{hint}")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from seqx.plugins import get_registry

        registry = get_registry()
        rows = []
        for name in self.list_commands(ctx):
            entries = [e for e in registry.entries("command") if e.name == name]
            note = " [conflict]" if len(entries) > 1 else ""
            source = entries[0].provenance
            origin = "" if source.source == "builtin" else f" ({source.describe()})"
            rows.append((name, entries[0].help + origin + note))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(
    cls=SeqxGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the versions of seqx and of every plugin, and exit.",
)
@click.option(
    "--plugin-dir",
    "--user-dir",
    "plugin_dirs",
    multiple=True,
    metavar="DIR",
    help="Load the plugins in DIR (repeatable; also SEQX_PLUGIN_PATH). "
    "Accepted anywhere on the command line.",
)
@click.option(
    "-p",
    "disabled",
    multiple=True,
    metavar="no:NAME",
    help="Disable plugin NAME (repeatable; also SEQX_DISABLE_PLUGINS).",
)
def cli(plugin_dirs: tuple[str, ...], disabled: tuple[str, ...]) -> None:
    """seqx: sequence modeling for PyTorch, extended by plugins.

    Environment: SEQX_LOAD_PLUGINS=a,b loads only these plugins (empty: none);
    SEQX_DISABLE_PLUGINS=a,b skips these; SEQX_PLUGIN_TRACE=1 raises plugin
    errors with their traceback.
    """


_argv: list[str] = []


def current_argv() -> list[str]:
    """The arguments ``main`` is running (to start the same command in other processes)."""
    return list(_argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``seqx`` command line with ``argv`` (default: ``sys.argv[1:]``)."""
    from seqx import plugins
    from seqx.runtime import bound_kernel_caches, keep_freed_memory

    if os.environ.get("SEQX_LAUNCHED_RANK"):  # the launcher's signal stand-ins, from the start
        from seqx.training.signals import handle_forwarded_signals

        handle_forwarded_signals()
    bound_kernel_caches()
    keep_freed_memory()
    args = list(sys.argv[1:] if argv is None else argv)
    _argv[:] = args
    previous = warnings.formatwarning
    warnings.formatwarning = _format_warning  # type: ignore[assignment]
    try:
        try:
            dirs, disabled, rest = prescan(args)
        except click.UsageError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        try:
            if dirs or disabled or plugins._current is None:
                plugins.set_plugin_manager(plugins.load_plugins(plugin_dirs=dirs, disable=disabled))
            cli.main(args=rest, prog_name="seqx", standalone_mode=True)
        except SeqxError as exc:
            if plugins.trace_enabled() or os.environ.get("SEQX_DEBUG"):
                raise
            click.echo(f"seqx: error: {exc}", err=True)
            sys.exit(exc.exit_code)
    finally:
        warnings.formatwarning = previous  # type: ignore[assignment]
