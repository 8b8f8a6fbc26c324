"""``seqx log-summary FILE``: records per tag, the last of each, the best validation loss."""

from __future__ import annotations

import json

import click


@click.command("log-summary")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--metric", default="loss", show_default=True, help="Validation metric to rank.")
def log_summary(path: str, metric: str) -> None:
    """Summarize the JSON-lines log PATH."""
    counts: dict[str, int] = {}
    last: dict[str, dict] = {}
    best = None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}, line {lineno}: not JSON ({exc.msg})") from None
            tag = record.get("tag", "?")
            counts[tag] = counts.get(tag, 0) + 1
            last[tag] = record
            value = record.get(metric)
            if tag == "valid" and isinstance(value, (int, float)):
                best = record if best is None or value < best[metric] else best
    for tag in sorted(counts):
        click.echo(f"{tag}: {counts[tag]} records, last at step {last[tag].get('step')}")
    if best is not None:
        click.echo(f"best valid {metric}: {best[metric]} at step {best.get('step')}")
