"""``seqx eval-lm DATA --path CHECKPOINT``: fairseq-eval-lm's perplexity and flags."""

from __future__ import annotations

from seqx.cli.component_command import ComponentCommand
from seqx.config.resolve import RunConfig, Section

EVAL_LM_SECTIONS: tuple[Section, ...] = (
    Section("eval_lm", config="seqx.generation.config:EvalLMConfig", title="Evaluate"),
    Section("decoding", config="seqx.generation.config:DecodingConfig", title="Checkpoints"),
    Section("dataset_format", kind="dataset_format", flag="--dataset-impl"),
)


def _eval_lm(run_config: RunConfig, config_file: str | None) -> None:
    from seqx.generation.config import DecodingConfig, EvalLMConfig
    from seqx.generation.eval_lm import eval_lm as run
    from seqx.plugins import get_plugin_manager

    run(
        run_config.section(EvalLMConfig, "eval_lm"),
        run_config.section(DecodingConfig, "decoding"),
        get_plugin_manager(),
        dataset_format=run_config.sections["dataset_format"].name,
    )


eval_lm = ComponentCommand(
    "eval-lm",
    sections=EVAL_LM_SECTIONS,
    callback=_eval_lm,
    help="Score a split of DATA with the language model(s) of --path: loss and perplexity.",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
