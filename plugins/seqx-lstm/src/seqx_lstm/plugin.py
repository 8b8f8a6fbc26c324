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
    for name, arch in ARCHS.items():
        registry.arch(
            name,
            model="lstm" if arch["base"] is None else None,
            base=arch["base"],
            defaults=arch["defaults"],
            help=arch["help"],
        )
