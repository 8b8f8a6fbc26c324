"""Conformance suites that plugin tests subclass; each kind's suite builds on these."""

from seqx.testing.conformance.component import ComponentConformance
from seqx.testing.conformance.plugin import PluginConformance

__all__ = [
    "BPEConformance",
    "ComponentConformance",
    "DatasetFormatConformance",
    "IncrementalDecoderConformance",
    "IncrementalLanguageModelConformance",
    "LanguageModelConformance",
    "LRSchedulerConformance",
    "ModelConformance",
    "OptimizerConformance",
    "PluginConformance",
    "ScorerConformance",
    "TokenizerConformance",
]


def __getattr__(name: str) -> object:
    # the data suites import numpy; load them only when asked for
    if name in ("BPEConformance", "DatasetFormatConformance", "TokenizerConformance"):
        from seqx.testing.conformance import data

        return getattr(data, name)
    if name in ("ModelConformance", "IncrementalDecoderConformance"):
        from seqx.testing.conformance import model

        return getattr(model, name)
    if name in ("LanguageModelConformance", "IncrementalLanguageModelConformance"):
        from seqx.testing.conformance import language_model

        return getattr(language_model, name)
    if name in ("OptimizerConformance", "LRSchedulerConformance"):
        from seqx.testing.conformance import optim

        return getattr(optim, name)
    if name == "ScorerConformance":
        from seqx.testing.conformance import scorer

        return scorer.ScorerConformance
    raise AttributeError(name)
