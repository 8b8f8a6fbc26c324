"""Registers the LSTM model and its archs (light: import strings only)."""

from seqx import hookimpl
from seqx_lstm.archs import ARCHS


@hookimpl
def seqx_register(registry):
    registry.model(
        "lstm",
        "seqx_lstm.model:LSTMModel",
        config="seqx_lstm.config:LSTMConfig",
        help="LSTM encoder-decoder with attention and input feeding (fairseq's LSTMModel).",
    )
    registry.archs("lstm", ARCHS)
