"""Options of the convolutional sequence to sequence model, with fairseq's names (light)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(kw_only=True)
class FConvConfig:
    """Options of fairseq's ``FConvModel``."""

    dropout: float = 0.1
    """Dropout probability."""
    encoder_embed_dim: int = 512
    """Encoder embedding dimension."""
    encoder_embed_path: str | None = None
    """Pretrained encoder embeddings (text: 'WORD v1 ... vDIM' per line)."""
    encoder_layers: str = "[(512, 3)] * 20"
    """Encoder convolutions: a list of (channels, kernel_size[, residual]) as fairseq writes it."""
    decoder_embed_dim: int = 512
    """Decoder embedding dimension."""
    decoder_embed_path: str | None = None
    """Pretrained decoder embeddings (same format as --encoder-embed-path)."""
    decoder_layers: str = "[(512, 3)] * 20"
    """Decoder convolutions, as --encoder-layers."""
    decoder_out_embed_dim: int = 256
    """Decoder output embedding dimension."""
    decoder_attention: str = "True"
    """Attention in every decoder layer ('True'), none ('False'), or a list with one per layer."""
    share_input_output_embed: bool = False
    """Tie the decoder's input embedding and output projection (needs
    --decoder-out-embed-dim = --decoder-embed-dim)."""
    max_source_positions: int = 1024
    """Longest source accepted (learned positions)."""
    max_target_positions: int = 1024
    """Longest target accepted (learned positions)."""
