"""Helpers for testing seqx plugins: a plugin harness and conformance suites.

The pytest plugin (installed with seqx) provides the ``seqx_plugins``
fixture; test classes subclass the conformance suites::

    class TestMyPlugin(PluginConformance):
        plugin = "seqx_mything.plugin"
"""

from typing import Any

from seqx.testing import conformance
from seqx.testing.conformance import ComponentConformance as ComponentConformance
from seqx.testing.conformance import PluginConformance as PluginConformance
from seqx.testing.harness import PluginHarness

__all__ = [*conformance.__all__, "PluginHarness"]


def __getattr__(name: str) -> Any:
    # the kind-specific suites import torch or numpy; load them when asked for
    return getattr(conformance, name)
