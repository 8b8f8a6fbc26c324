"""The text pipelines of the decoding commands: ``--tokenizer``/``--bpe`` as given on the
command line (fairseq's way), else what seqx preprocess recorded in the data folder."""

from __future__ import annotations

import dataclasses
from typing import Any

from seqx.config.resolve import SectionConfig
from seqx.data.folder import folder_pipeline
from seqx.data.text_pipeline import TextPipeline
from seqx.registry import Registry

LANGUAGE_FIELDS = ("source_lang", "target_lang")
"""Fields of a tokenizer's config that default to the task's languages."""


def decoding_pipelines(
    registry: Registry,
    data: str,
    task: Any,
    tokenizer: SectionConfig | None = None,
    bpe: SectionConfig | None = None,
) -> tuple[TextPipeline, TextPipeline]:
    """(source pipeline, target pipeline) of ``task`` on ``data`` (one language model
    pipeline twice for a task without languages)."""
    langs = {
        f.name: getattr(task.cfg, f.name)
        for f in dataclasses.fields(task.cfg)
        if f.name in LANGUAGE_FIELDS
    }
    source = folder_pipeline(registry, data, langs.get("source_lang") or "")
    target = folder_pipeline(registry, data, langs.get("target_lang") or "")
    for kind, chosen in (("tokenizer", tokenizer), ("bpe", bpe)):
        if chosen is None or chosen.name is None:
            continue
        component = _build(registry, kind, chosen, langs)
        setattr(source, kind, component)
        setattr(target, kind, component)
    return source, target


def _build(registry: Registry, kind: str, chosen: SectionConfig, langs: dict[str, Any]) -> Any:
    """The chosen component, with the task's languages where its config leaves them out."""
    config = chosen.config
    if config is not None and dataclasses.is_dataclass(config):
        names = {f.name for f in dataclasses.fields(config)}
        unset = {k: v for k, v in langs.items() if k in names and getattr(config, k) is None}
        config = dataclasses.replace(config, **unset)  # type: ignore[type-var]
    return registry.get(kind, str(chosen.name)).load()(config)
