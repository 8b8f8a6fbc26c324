"""``seqx generate DATA --path CHECKPOINT``: fairseq-generate's output and flags."""

from __future__ import annotations

from seqx.cli.component_command import ComponentCommand
from seqx.config.resolve import RunConfig, Section

GENERATE_SECTIONS: tuple[Section, ...] = (
    Section("generate", config="seqx.generation.config:GenerateConfig", title="Generate"),
    Section("decoding", config="seqx.generation.config:DecodingConfig", title="Checkpoints"),
    Section("generation", config="seqx.generation.config:GenerationConfig", title="Search"),
    Section("post_process", config="seqx.generation.config:PostProcessConfig", title="Output"),
    Section("scoring", kind="scorer", flag="--scoring", default="bleu"),
    Section("dataset_format", kind="dataset_format", flag="--dataset-impl"),
    Section(
        "tokenizer", kind="tokenizer", flag="--tokenizer", title="Text (default: the data folder's)"
    ),
    Section("bpe", kind="bpe", flag="--bpe", title="Subwords (default: the data folder's)"),
)


def _generate(run_config: RunConfig, config_file: str | None) -> None:
    from seqx.generation.config import (
        DecodingConfig,
        GenerateConfig,
        GenerationConfig,
        PostProcessConfig,
    )
    from seqx.generation.generate import generate as run
    from seqx.plugins import get_plugin_manager

    pm = get_plugin_manager()
    scoring = run_config.sections["scoring"]
    scorer = (
        pm.registry.get("scorer", scoring.name).load()(scoring.config) if scoring.name else None
    )
    run(
        run_config.section(GenerateConfig, "generate"),
        run_config.section(DecodingConfig, "decoding"),
        run_config.section(GenerationConfig, "generation"),
        run_config.section(PostProcessConfig, "post_process"),
        scorer,
        pm,
        dataset_format=run_config.sections["dataset_format"].name,
        tokenizer=run_config.sections["tokenizer"],
        bpe=run_config.sections["bpe"],
    )


generate = ComponentCommand(
    "generate",
    sections=GENERATE_SECTIONS,
    callback=_generate,
    help="Translate a split of DATA with --path CHECKPOINT; prints S/T/H/D/P lines, the "
    "speed and the score.",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
