"""``seqx plugin new NAME``: scaffold a plugin package."""

from __future__ import annotations

import click


@click.group()
def plugin() -> None:
    """Author seqx plugins."""


@plugin.command("new")
@click.argument("name")
@click.option(
    "--dir", "dest", default=".", show_default=True, help="Folder to create the package in."
)
@click.option("--force", is_flag=True, help="Write into an existing, non-empty folder.")
def new(name: str, dest: str, force: bool) -> None:
    """Scaffold seqx-NAME: a pip-installable plugin that passes its own tests."""
    from seqx.scaffold import create

    root = create(name, dest, force=force)
    click.echo(f"created {root}")
    click.echo(f"next: pip install -e '{root}[test]' && pytest {root / 'tests'}")
