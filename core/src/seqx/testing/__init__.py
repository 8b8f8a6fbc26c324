"""Helpers for testing seqx plugins: a plugin harness and conformance suites.

The pytest plugin (installed with seqx) provides the ``seqx_plugins``
fixture; test classes subclass the conformance suites::

    class TestMyPlugin(PluginConformance):
        plugin = "seqx_mything.plugin"
"""

from seqx.testing.conformance import ComponentConformance, PluginConformance
from seqx.testing.harness import PluginHarness

__all__ = [
    "BPEConformance",
    "ComponentConformance",
    "DatasetFormatConformance",
    "IncrementalDecoderConformance",
    "LRSchedulerConformance",
    "ModelConformance",
    "OptimizerConformance",
    "PluginConformance",
    "PluginHarness",
    "TokenizerConformance",
]


def __getattr__(name: str) -> object:
    from seqx.testing import conformance

    return getattr(conformance, name)
