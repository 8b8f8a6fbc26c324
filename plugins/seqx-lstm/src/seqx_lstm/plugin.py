"""Registers the LSTM models and their archs (light: import strings only)."""

from seqx import hookimpl
from seqx_lstm.archs import ARCHS, LM_ARCHS


@hookimpl
def seqx_register(registry):
    registry.model(
        "lstm",
        "seqx_lstm.model:LSTMModel",
        config="seqx_lstm.config:LSTMConfig",
        help="LSTM encoder-decoder with attention and input feeding (fairseq's LSTMModel).",
    )
    registry.archs("lstm", ARCHS)
    registry.model(
        "lstm_lm",
        "seqx_lstm.language_model:LSTMLanguageModel",
        config="seqx_lstm.config:LSTMLanguageModelConfig",
        help="LSTM language model (fairseq's LSTMLanguageModel).",
    )
    registry.archs("lstm_lm", LM_ARCHS)
    registry.fairseq_adapter(
        "lstm",
        "seqx_lstm.fairseq:LSTMAdapter",
        help="Imports and exports fairseq's lstm checkpoints.",
    )
    registry.fairseq_adapter(
        "lstm_lm",
        "seqx_lstm.fairseq:LSTMLanguageModelAdapter",
        help="Imports and exports fairseq's lstm_lm checkpoints.",
    )
