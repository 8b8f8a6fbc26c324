"""Registers the tutorial's model and its arch (what fairseq's decorators did)."""

from seqx import hookimpl


@hookimpl
def seqx_register(registry):
    registry.model(
        "simple_lstm",
        "seqx_tutorial_simple_lstm.model:SimpleLSTMModel",
        config="seqx_tutorial_simple_lstm.config:SimpleLSTMConfig",
        help="fairseq's Simple LSTM tutorial model.",
    )
    # the tutorial's arch: 256-dimensional everything
    registry.arch(
        "tutorial_simple_lstm",
        model="simple_lstm",
        defaults={
            "encoder_embed_dim": 256,
            "encoder_hidden_dim": 256,
            "decoder_embed_dim": 256,
            "decoder_hidden_dim": 256,
        },
        help="The tutorial's SimpleLSTM, 256 wide.",
    )
