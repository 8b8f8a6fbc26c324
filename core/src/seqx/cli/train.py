"""``seqx train``: resolve the run's components and configuration, then train."""

from __future__ import annotations

import click

from seqx.cli.component_command import ComponentCommand
from seqx.config.resolve import RunConfig, Section

TRAIN_SECTIONS: tuple[Section, ...] = (
    Section("common", config="seqx.training.config:CommonConfig", title="Common"),
    Section("dataset", config="seqx.training.config:DatasetConfig", title="Dataset"),
    Section("optimization", config="seqx.training.config:OptimizationConfig", title="Optimization"),
    Section("checkpoint", config="seqx.training.config:CheckpointConfig", title="Checkpoint"),
    Section("distributed", config="seqx.training.config:DistributedConfig", title="Distributed"),
    Section("task", kind="task", flag="--task", default="translation"),
    Section("model", kind="arch", flag="--arch", aliases=("-a",), required=True),
    Section("criterion", kind="criterion", flag="--criterion", default="cross_entropy"),
    Section("optimizer", kind="optimizer", flag="--optimizer", required=True),
    Section("lr_scheduler", kind="lr_scheduler", flag="--lr-scheduler", default="fixed"),
    Section("dataset_format", kind="dataset_format", flag="--dataset-impl"),
    Section("tokenizer", kind="tokenizer", flag="--tokenizer"),
    Section("bpe", kind="bpe", flag="--bpe"),
)
"""The sections of ``seqx train``'s configuration, in ``config.json`` order."""


def _train(run_config: RunConfig, config_file: str | None, dump_config: bool) -> None:
    if dump_config:
        click.echo(run_config.to_json())
        return
    import os

    from seqx.training.config import DistributedConfig

    nproc = run_config.section(DistributedConfig, "distributed").nproc_per_node
    if nproc > 1 and "WORLD_SIZE" not in os.environ:  # start the ranks, then wait for them
        from seqx.cli.main import current_argv
        from seqx.training.distributed import strip_option
        from seqx.training.launcher import launch

        raise SystemExit(launch(nproc, strip_option(current_argv(), "--nproc-per-node")))
    from seqx.training.loop import main

    main(run_config)


train = ComponentCommand(
    "train",
    sections=TRAIN_SECTIONS,
    callback=_train,
    params=[
        click.Option(
            ["--dump-config"],
            is_flag=True,
            help="Print the resolved configuration as JSON and exit.",
        )
    ],
    help="Train a model. Options depend on the chosen --task, --arch, --criterion, "
    "--optimizer and --lr-scheduler: add them before --help to see theirs.",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
