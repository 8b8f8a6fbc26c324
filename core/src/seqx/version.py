"""The version of the ``seqx`` core distribution (its single source)."""

__version__ = "0.1.0"
