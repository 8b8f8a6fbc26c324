"""seqx: a sequence-modeling toolkit for PyTorch built from plugins.

The top level stays light (no torch): plugin modules import
:data:`hookimpl` from here while ``seqx --help`` runs.
"""

from seqx.hookspecs import hookimpl
from seqx.version import __version__

__all__ = ["__version__", "hookimpl"]
