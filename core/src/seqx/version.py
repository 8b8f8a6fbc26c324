"""The version of the core distribution (its single source) and the distribution's name."""

__version__ = "0.1.0"

CORE_DISTRIBUTION = "seqx-core"
"""The core's distribution on PyPI (the import package and the command are ``seqx``)."""
