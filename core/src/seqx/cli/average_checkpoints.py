"""``seqx average-checkpoints``: one checkpoint whose weights average several."""

from __future__ import annotations

import os

import click

from seqx.errors import SeqxError


@click.command()
@click.option(
    "--inputs",
    multiple=True,
    help="Checkpoint files (--inputs A B C, as fairseq, or --inputs A --inputs B), or one "
    "folder with --num-epoch-checkpoints/--num-update-checkpoints.",
)
@click.argument("more_inputs", nargs=-1, metavar="")
@click.option("--output", required=True, help="The averaged checkpoint to write.")
@click.option(
    "--num-epoch-checkpoints", type=int, default=None, help="Average the last N checkpointE.pt."
)
@click.option(
    "--num-update-checkpoints",
    type=int,
    default=None,
    help="Average the last N checkpoint_E_U.pt.",
)
@click.option(
    "--checkpoint-upper-bound",
    type=int,
    default=None,
    help="Only consider checkpoints up to this epoch (or update).",
)
def average_checkpoints(
    inputs: tuple[str, ...],
    more_inputs: tuple[str, ...],
    output: str,
    num_epoch_checkpoints: int | None,
    num_update_checkpoints: int | None,
    checkpoint_upper_bound: int | None,
) -> None:
    """Average the model weights of several checkpoints (fairseq's average_checkpoints.py)."""
    from seqx.training.averaging import last_checkpoints, write_average

    inputs = inputs + more_inputs  # fairseq's --inputs takes several values
    if not inputs:
        raise SeqxError("give the checkpoints to average: --inputs A B ...")
    if num_epoch_checkpoints is not None and num_update_checkpoints is not None:
        raise SeqxError("give --num-epoch-checkpoints or --num-update-checkpoints, not both")
    count = num_epoch_checkpoints if num_epoch_checkpoints is not None else num_update_checkpoints
    if count is not None:
        if len(inputs) != 1 or not os.path.isdir(inputs[0]):
            raise SeqxError(
                "--num-epoch-checkpoints/--num-update-checkpoints take one folder as --inputs"
            )
        if count < 1:
            raise SeqxError("the number of checkpoints to average must be at least 1")
        paths = last_checkpoints(
            inputs[0], count, num_update_checkpoints is not None, checkpoint_upper_bound
        )
    else:
        paths = list(inputs)
    write_average(paths, output)
    click.echo(f"averaged {len(paths)} checkpoints ({', '.join(map(os.path.basename, paths))})")
    click.echo(f"wrote {output}")
