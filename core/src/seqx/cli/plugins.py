"""``seqx plugins``: what is installed, what it registers, and whether it works."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from seqx.errors import SeqxError
from seqx.registry import KINDS, Entry, Registry, conflict_message

if TYPE_CHECKING:
    from seqx.plugins import PluginManager


def _manager() -> Any:
    from seqx.plugins import get_plugin_manager

    return get_plugin_manager()


def _entry_dict(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": entry.kind,
        "name": entry.name,
        "help": entry.help,
        "plugin": entry.provenance.plugin,
        "source": entry.provenance.describe(),
    }
    if entry.kind == "arch":
        out.update(model=entry.model, base=entry.base, defaults=dict(entry.defaults))
    else:
        out["target"] = entry.target if isinstance(entry.target, str) else repr(entry.target)
    if isinstance(entry.config, str) or entry.config is None:
        out["config"] = entry.config
    else:
        out["config"] = f"{entry.config.__module__}:{entry.config.__qualname__}"
    return out


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--check", is_flag=True, help="Import every target and config and report what fails.")
@click.pass_context
def plugins(ctx: click.Context, as_json: bool, check: bool) -> None:
    """List the installed plugins and what each registers, by kind."""
    if ctx.invoked_subcommand is not None:
        return
    pm = _manager()
    registry = pm.registry
    from seqx.check import check_entry

    conflicts = registry.conflicts()
    failures: dict[tuple[str, str, str], str] = {}
    if check:
        for entry in registry.entries():
            if len([e for e in registry.entries(entry.kind) if e.name == entry.name]) > 1:
                continue
            err = check_entry(registry, entry)
            if err:
                failures[(entry.kind, entry.name, entry.provenance.plugin)] = err
    if as_json:
        data = {
            "plugins": [
                {
                    **info.as_dict(),
                    "registers": {
                        k: [e.name for e in info.entries if e.kind == k]
                        for k in KINDS
                        if any(e.kind == k for e in info.entries)
                    },
                }
                for info in pm.infos
            ],
            "components": [_entry_dict(e) for e in registry.entries()],
            "conflicts": [conflict_message(c) for c in conflicts],
        }
        if check:
            data["check"] = [
                {"kind": k, "name": n, "plugin": p, "error": err}
                for (k, n, p), err in failures.items()
            ]
        click.echo(json.dumps(data, indent=2))
    else:
        _print_human(pm, conflicts, failures if check else None)
    bad = any(i.status in ("broken", "missing") for i in pm.infos)
    if check and (failures or conflicts or bad):
        ctx.exit(1)


def _print_human(pm: PluginManager, conflicts: list[list[Entry]], failures: dict | None) -> None:
    rows = [["PLUGIN", "DISTRIBUTION", "VERSION", "STATUS", "LOCATION"]]
    for info in pm.infos:
        prov = info.provenance
        location = info.location or prov.path or ""
        rows.append(
            [info.name, prov.distribution or "-", prov.version or "-", info.status, location]
        )
    for line in _table(rows):
        click.echo(line)
    for info in pm.infos:
        if info.error:
            click.echo(f"  {info.name}: {info.error}")
    registry = pm.registry
    for kind in KINDS:
        entries = registry.entries(kind)
        if not entries:
            continue
        click.echo(f"\n{kind}:")
        for entry in entries:
            extra = ""
            if kind == "arch":
                extra = f"(model {entry.model}" if entry.model else f"(base {entry.base}"
                extra += f", base {entry.base})" if entry.model and entry.base else ")"
            source = entry.provenance.describe()
            line = f"  {entry.name:<28} {entry.help or extra}"
            if entry.help and extra:
                line += f" {extra}"
            line += f"  [{source}]"
            if failures is not None:
                err = failures.get((entry.kind, entry.name, entry.provenance.plugin))
                line += f"\n      FAILED: {err}" if err else "  ok"
            click.echo(line)
    if conflicts:
        click.echo("\nconflicts:")
        for group in conflicts:
            click.echo(f"  {conflict_message(group)}")


@plugins.command("show")
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), help="Only the component of this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(name: str, kind: str | None, as_json: bool) -> None:
    """Show component NAME: help, provenance, config fields, archs and their defaults."""
    pm = _manager()
    registry = pm.registry
    matches = [e for e in registry.entries(kind) if e.name == name]
    if not matches:
        plugin = next((i for i in pm.infos if i.name == name), None)
        if plugin is not None:
            matches = list(plugin.entries)
        if not matches:
            names = sorted({e.name for e in registry.entries(kind)})
            raise SeqxError(registry.unknown_message(kind or "component", name, names))
    out = [_shown(registry, entry) for entry in matches]
    if as_json:
        click.echo(json.dumps(out, indent=2))
        return
    for item in out:
        _print_shown(item)


def _shown(registry: Registry, entry: Entry) -> dict[str, Any]:
    """What ``seqx plugins show`` tells of ``entry``, as plain data."""
    from seqx.config.fields import MISSING, config_fields
    from seqx.config.resolve import check_arch_defaults
    from seqx.config.values import to_plain, type_name

    item = _entry_dict(entry)
    item["provenance"] = entry.provenance.as_dict()
    config_owner = entry
    defaults: dict[str, Any] = {}
    try:
        if entry.kind == "arch":
            arch = registry.resolve_arch(entry.name)
            config_owner = arch.model
            defaults = check_arch_defaults(arch, arch.model.load_config())
            item["chain"] = [e.name for e in arch.chain]
        cls = config_owner.load_config()
        item["fields"] = [
            {
                "name": f.name,
                "flag": None if f.positional else f.flag,
                "positional": f.positional,
                "usage": f.usage,
                "type": type_name(f.type),
                "default": None
                if f.default is MISSING
                else to_plain(defaults.get(f.name, f.default)),
                "required": f.required,
                "help": f.help,
            }
            for f in (config_fields(cls) if cls is not None else ())
        ]
        if entry.kind == "model":
            item["archs"] = {}
            for arch_name in registry.archs_of(entry.name):
                arch = registry.resolve_arch(arch_name)
                item["archs"][arch_name] = to_plain(check_arch_defaults(arch, cls))
    except SeqxError as exc:
        item["error"] = str(exc)
    return item


def _print_shown(item: dict[str, Any]) -> None:
    from seqx.config.values import format_value

    click.echo(f"{item['kind']} {item['name']}: {item['help'] or '(no help)'}")
    prov = item["provenance"]
    click.echo(f"  plugin: {prov['plugin']} ({item['source']})")
    if item["kind"] == "arch":
        click.echo(
            f"  model: {item['model'] or '(from base)'}; "
            f"chain: {' -> '.join(item.get('chain', []))}"
        )
    elif item.get("target"):
        click.echo(f"  target: {item['target']}")
    if item.get("config"):
        click.echo(f"  config: {item['config']}")
    if item.get("error"):
        click.echo(f"  error: {item['error']}")
    if item.get("fields"):
        click.echo("  options:")
        for f in item["fields"]:
            default = "(required)" if f["required"] else f"default {format_value(f['default'])}"
            where = " (positional argument)" if f["positional"] else ""
            click.echo(f"    {f['usage']}  {f['type']}, {default}{where}")
            if f["help"]:
                click.echo(f"        {f['help']}")
    for arch_name, arch_defaults in item.get("archs", {}).items():
        click.echo(f"  arch {arch_name}:")
        for key, value in arch_defaults.items():
            click.echo(f"    {key} = {format_value(value)}")
