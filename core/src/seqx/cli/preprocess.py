"""``seqx preprocess``: fairseq-preprocess's flags, plus learning a subword model."""

from __future__ import annotations

import click

from seqx.cli.component_command import ComponentCommand
from seqx.config.resolve import RunConfig, Section
from seqx.data.text_pipeline import ComponentSpec

PREPROCESS_SECTIONS: tuple[Section, ...] = (
    Section("preprocess", config="seqx.preprocessing.config:PreprocessConfig", title="Preprocess"),
    Section("dataset_format", kind="dataset_format", flag="--dataset-impl", default="mmap"),
    Section("tokenizer", kind="tokenizer", flag="--tokenizer"),
    Section("bpe", kind="bpe", flag="--bpe"),
)


def spec(run_config: RunConfig, section: str, kind: str) -> ComponentSpec | None:
    """The chosen component of ``section`` as a buildable spec (None if none was chosen)."""
    from seqx.plugins import get_registry

    chosen = run_config.sections[section]
    if chosen.name is None:
        return None
    return ComponentSpec(get_registry().get(kind, chosen.name), chosen.config)


def _preprocess(run_config: RunConfig, config_file: str | None) -> None:
    from seqx.preprocessing.config import PreprocessConfig
    from seqx.preprocessing.run import preprocess as run

    fmt = spec(run_config, "dataset_format", "dataset_format")
    assert fmt is not None
    run(
        run_config.section(PreprocessConfig, "preprocess"),
        fmt,
        tokenizer=spec(run_config, "tokenizer", "tokenizer"),
        bpe=spec(run_config, "bpe", "bpe"),
        log=lambda line: click.echo(line, err=True),
    )


preprocess = ComponentCommand(
    "preprocess",
    sections=PREPROCESS_SECTIONS,
    callback=_preprocess,
    help="Build dictionaries and binarize parallel text into --destdir (fairseq-preprocess).",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
