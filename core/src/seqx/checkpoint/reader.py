"""Reading any checkpoint seqx accepts as one of the current format.

seqx's own checkpoints load with ``weights_only=True`` and are upgraded to
:data:`~seqx.checkpoint.format.FORMAT_VERSION`; a checkpoint fairseq-train wrote (its
options pickled as ``argparse.Namespace`` or omegaconf objects) is imported through
:mod:`seqx.compat.fairseq`, whose allow-list loads those objects as inert data. Decoding,
scoring, fine-tuning and averaging all read checkpoints through :func:`read_checkpoint`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seqx.checkpoint.files import PickledObjectsError, load_state
from seqx.checkpoint.format import upgrade

if TYPE_CHECKING:
    from seqx.plugins import PluginManager


def read_checkpoint(
    path: str, pm: PluginManager | None = None, upgrade_format: bool = True
) -> dict[str, Any]:
    """Checkpoint ``path`` in the current format: seqx's own, or fairseq's imported
    (seqx's own as written with ``upgrade_format=False``)."""
    if pm is None:
        from seqx.plugins import get_plugin_manager

        pm = get_plugin_manager()
    try:
        state = load_state(path)
    except PickledObjectsError:
        from seqx.compat.fairseq.pickles import is_fairseq_pickle

        if not is_fairseq_pickle(path):
            raise
        from seqx.compat.fairseq.imports import read_fairseq_checkpoint

        return read_fairseq_checkpoint(path, pm.registry)
    if "format_version" not in state and ("cfg" in state or "args" in state):
        from seqx.compat.fairseq.imports import import_state

        return import_state(state, pm.registry, path)
    return upgrade(state, pm, path) if upgrade_format else state
