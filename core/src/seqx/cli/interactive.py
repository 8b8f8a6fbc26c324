"""``seqx interactive DATA --path CHECKPOINT``: translate raw text, in input order."""

from __future__ import annotations

from seqx.cli.component_command import ComponentCommand
from seqx.config.resolve import RunConfig, Section

INTERACTIVE_SECTIONS: tuple[Section, ...] = (
    Section("interactive", config="seqx.generation.config:InteractiveConfig", title="Input"),
    Section("decoding", config="seqx.generation.config:DecodingConfig", title="Checkpoints"),
    Section("generation", config="seqx.generation.config:GenerationConfig", title="Search"),
    Section("post_process", config="seqx.generation.config:PostProcessConfig", title="Output"),
    Section("dataset_format", kind="dataset_format", flag="--dataset-impl"),
    Section(
        "tokenizer", kind="tokenizer", flag="--tokenizer", title="Text (default: the data folder's)"
    ),
    Section("bpe", kind="bpe", flag="--bpe", title="Subwords (default: the data folder's)"),
)


def _interactive(run_config: RunConfig, config_file: str | None) -> None:
    from seqx.generation.config import (
        DecodingConfig,
        GenerationConfig,
        InteractiveConfig,
        PostProcessConfig,
    )
    from seqx.generation.interactive import interactive as run
    from seqx.plugins import get_plugin_manager

    run(
        run_config.section(InteractiveConfig, "interactive"),
        run_config.section(DecodingConfig, "decoding"),
        run_config.section(GenerationConfig, "generation"),
        run_config.section(PostProcessConfig, "post_process"),
        get_plugin_manager(),
        dataset_format=run_config.sections["dataset_format"].name,
        tokenizer=run_config.sections["tokenizer"],
        bpe=run_config.sections["bpe"],
    )


interactive = ComponentCommand(
    "interactive",
    sections=INTERACTIVE_SECTIONS,
    callback=_interactive,
    help="Translate raw sentences from stdin (or --input) with --path CHECKPOINT, applying "
    "the data folder's tokenizer and subword model; prints S/H/D/P lines in input order.",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
