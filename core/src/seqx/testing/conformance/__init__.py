"""Conformance suites that plugin tests subclass; each kind's suite builds on these."""

from seqx.testing.conformance.component import ComponentConformance
from seqx.testing.conformance.plugin import PluginConformance

__all__ = ["ComponentConformance", "PluginConformance"]
