"""fairseq's LSTM checkpoints (``lstm*``, ``lstm_lm``): the same state-dict names as seqx's.

fairseq resolves ``--adaptive-softmax-cutoff`` to a default for every LSTM but builds the
adaptive softmax only under ``--criterion adaptive_loss``; the import does the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seqx.compat.fairseq.adapter import FairseqAdapter


class LSTMAdapter(FairseqAdapter):
    """seqx's ``lstm`` <-> fairseq's ``lstm``."""

    fairseq_model = "lstm"

    def import_value(self, name: str, value: Any, options: Mapping[str, Any]) -> Any:
        if name == "adaptive_softmax_cutoff" and options.get("criterion") != "adaptive_loss":
            return None
        return value

    def export_options(self, config: Mapping[str, Any]) -> dict[str, Any]:
        out = super().export_options(config)
        if out.get("adaptive_softmax_cutoff") is None:
            out.pop("adaptive_softmax_cutoff", None)
        return out


class LSTMLanguageModelAdapter(LSTMAdapter):
    """seqx's ``lstm_lm`` <-> fairseq's ``lstm_lm``."""

    fairseq_model = "lstm_lm"
    unsupported = {"character_embeddings": (False, None)}
