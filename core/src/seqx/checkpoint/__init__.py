"""Checkpoints: the one place that knows their format.

A checkpoint is a plain dict of tensors and containers, written atomically and read
with ``torch.load(weights_only=True)`` (:mod:`seqx.checkpoint.files`). What it holds,
how a new one is assembled and how older ones are upgraded live in
:mod:`seqx.checkpoint.format`; how a run's configuration is rebuilt from one in
:mod:`seqx.checkpoint.configs`; how model weights are checked and loaded into a model
in :mod:`seqx.checkpoint.weights`, and the dictionaries' check in
:mod:`seqx.checkpoint.dictionaries`; :func:`read_checkpoint` reads any checkpoint seqx
accepts (fairseq's too) as one of the current format. Training, decoding and the
Python API all go through these, and nothing here imports the trainer.
"""

from seqx.checkpoint.configs import run_config_of
from seqx.checkpoint.dictionaries import check_dictionaries, dictionary_records
from seqx.checkpoint.files import atomic_write, copy_atomic, load_state, save_state
from seqx.checkpoint.format import FORMAT_VERSION, build_state, recorded_arch, upgrade
from seqx.checkpoint.reader import read_checkpoint
from seqx.checkpoint.weights import load_model_weights

__all__ = [
    "FORMAT_VERSION",
    "atomic_write",
    "build_state",
    "check_dictionaries",
    "copy_atomic",
    "dictionary_records",
    "load_model_weights",
    "load_state",
    "read_checkpoint",
    "recorded_arch",
    "run_config_of",
    "save_state",
    "upgrade",
]
