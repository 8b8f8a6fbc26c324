"""fairseq's LSTM checkpoints (``lstm*``, ``lstm_lm``): the same state-dict names as seqx's.

fairseq resolves ``--adaptive-softmax-cutoff`` to a default for every LSTM but builds the
adaptive softmax only under ``--criterion adaptive_loss``; the import does the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seqx.compat.fairseq.adapter import FairseqAdapter
from seqx.errors import SeqxError


class LSTMAdapter(FairseqAdapter):
    """seqx's ``lstm`` <-> fairseq's ``lstm``."""

    fairseq_model = "lstm"

    def import_value(self, name: str, value: Any, options: Mapping[str, Any]) -> Any:
        if name == "adaptive_softmax_cutoff" and options.get("criterion") != "adaptive_loss":
            return None
        return value

    def export_options(self, config: Mapping[str, Any]) -> dict[str, Any]:
        layers = (config.get("encoder_layers"), config.get("decoder_layers"))
        if self.fairseq_model == "lstm" and layers[0] != layers[1]:
            raise SeqxError(
                f"this LSTM has --encoder-layers {layers[0]} and --decoder-layers {layers[1]}; "
                "fairseq's LSTM needs them equal, so it cannot be written for fairseq"
            )
        out = super().export_options(config)
        if out.get("adaptive_softmax_cutoff") is None:
            out.pop("adaptive_softmax_cutoff", None)
        return out

    def export_value(self, name: str, value: Any, config: Mapping[str, Any]) -> Any:
        """seqx's None ("as --dropout", "as the embedding") spelled out: fairseq reads
        a None it finds as a value."""
        if value is not None:
            return value
        if name.endswith(("_dropout_in", "_dropout_out")):
            return config["dropout"]
        if name.endswith("_hidden_size"):
            return config[name.replace("_hidden_size", "_embed_dim")]
        return value


class LSTMLanguageModelAdapter(LSTMAdapter):
    """seqx's ``lstm_lm`` <-> fairseq's ``lstm_lm``."""

    fairseq_model = "lstm_lm"
    unsupported = {"character_embeddings": (False, None)}
