"""Options of the Transformer, with fairseq's names (light module)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from seqx.errors import ConfigError

Activation = Literal["relu", "gelu", "gelu_accurate", "tanh", "linear"]


@dataclass(kw_only=True)
class TransformerConfig:
    """Options of the Transformer encoder-decoder."""

    activation_fn: Activation = "relu"
    """Activation function of the feed-forward layers."""
    dropout: float = 0.1
    """Dropout probability."""
    attention_dropout: float = 0.0
    """Dropout probability of attention weights."""
    activation_dropout: float = 0.0
    """Dropout probability after the feed-forward activation."""
    encoder_embed_dim: int = 512
    """Encoder embedding dimension."""
    encoder_ffn_embed_dim: int = 2048
    """Encoder feed-forward inner dimension."""
    encoder_layers: int = 6
    """Number of encoder layers."""
    encoder_attention_heads: int = 8
    """Number of encoder attention heads."""
    encoder_normalize_before: bool = False
    """Layer norm before each encoder block (pre-norm) instead of after."""
    encoder_learned_pos: bool = False
    """Learned instead of sinusoidal encoder positions."""
    decoder_embed_dim: int | None = None
    """Decoder embedding dimension (default: --encoder-embed-dim)."""
    decoder_ffn_embed_dim: int | None = None
    """Decoder feed-forward inner dimension (default: --encoder-ffn-embed-dim)."""
    decoder_layers: int = 6
    """Number of decoder layers."""
    decoder_attention_heads: int = 8
    """Number of decoder attention heads."""
    decoder_normalize_before: bool = False
    """Layer norm before each decoder block (pre-norm) instead of after."""
    decoder_learned_pos: bool = False
    """Learned instead of sinusoidal decoder positions."""
    decoder_output_dim: int | None = None
    """Decoder output dimension (default: --decoder-embed-dim)."""
    share_decoder_input_output_embed: bool = False
    """Tie the decoder's input embedding and output projection."""
    share_all_embeddings: bool = False
    """Share encoder, decoder and output embeddings (needs a joined dictionary)."""
    no_token_positional_embeddings: bool = False
    """Use no positional embeddings."""
    no_scale_embedding: bool = False
    """Do not scale embeddings by sqrt(dim)."""
    layernorm_embedding: bool = False
    """Layer norm after the embeddings."""
    max_source_positions: int = 1024
    """Maximum source length."""
    max_target_positions: int = 1024
    """Maximum target length."""

    @property
    def decoder_dim(self) -> int:
        """--decoder-embed-dim, or --encoder-embed-dim when it is not given."""
        return self.encoder_embed_dim if self.decoder_embed_dim is None else self.decoder_embed_dim

    @property
    def decoder_ffn_dim(self) -> int:
        """--decoder-ffn-embed-dim, or --encoder-ffn-embed-dim when it is not given."""
        if self.decoder_ffn_embed_dim is None:
            return self.encoder_ffn_embed_dim
        return self.decoder_ffn_embed_dim

    @property
    def output_dim(self) -> int:
        """--decoder-output-dim, or the decoder's dimension when it is not given."""
        return self.decoder_dim if self.decoder_output_dim is None else self.decoder_output_dim

    def __post_init__(self) -> None:
        sides = {
            "encoder": (self.encoder_embed_dim, self.encoder_attention_heads),
            "decoder": (self.decoder_dim, self.decoder_attention_heads),
        }
        for side, (dim, heads) in sides.items():
            if heads < 1 or dim % heads:
                raise ConfigError(
                    f"--{side}-embed-dim {dim} is not divisible by --{side}-attention-heads {heads}"
                )
        for name in ("dropout", "attention_dropout", "activation_dropout"):
            p = getattr(self, name)
            if not 0.0 <= p < 1.0:
                raise ConfigError(f"--{name.replace('_', '-')} must be in [0, 1), got {p}")
