"""The tutorial's ``add_args``, as a config dataclass (light module)."""

from dataclasses import dataclass


@dataclass(kw_only=True)
class SimpleLSTMConfig:
    """Options of the tutorial's ``SimpleLSTMModel``."""

    encoder_embed_dim: int = 128
    """Dimensionality of the encoder embeddings."""
    encoder_hidden_dim: int = 128
    """Dimensionality of the encoder hidden state."""
    encoder_dropout: float = 0.1
    """Encoder dropout probability."""
    decoder_embed_dim: int = 128
    """Dimensionality of the decoder embeddings."""
    decoder_hidden_dim: int = 128
    """Dimensionality of the decoder hidden state."""
    decoder_dropout: float = 0.1
    """Decoder dropout probability."""
