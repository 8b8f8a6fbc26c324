"""The built-in plugin: core's own components, registered like any plugin's."""

from __future__ import annotations

from seqx.hookspecs import hookimpl
from seqx.registry import Registrar


@hookimpl
def seqx_register(registry: Registrar) -> None:
    """Register core's commands."""
    registry.command(
        "preprocess",
        "seqx.cli.preprocess:preprocess",
        help="Build dictionaries and binarize text into a data folder.",
    )
    registry.command("train", "seqx.cli.train:train", help="Train a model.")
    registry.command(
        "plugins", "seqx.cli.plugins:plugins", help="List installed plugins and what they register."
    )
    registry.command("plugin", "seqx.cli.plugin_new:plugin", help="Author plugins (plugin new).")
