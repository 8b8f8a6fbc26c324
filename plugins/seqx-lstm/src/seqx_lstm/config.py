"""Options of the LSTM encoder-decoder, with fairseq's names (light module)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


def _given(value: T | None, default: T) -> T:
    """``value`` when the option was given, else what it defaults to."""
    return default if value is None else value


class _DecoderDefaults:
    """The decoder options that default to others, computed where they are used (a replayed
    config with a new --dropout recomputes them)."""

    dropout: float
    decoder_embed_dim: int
    decoder_hidden_size: int | None
    decoder_dropout_in: float | None
    decoder_dropout_out: float | None

    @property
    def decoder_hidden(self) -> int:
        """--decoder-hidden-size, or --decoder-embed-dim when it is not given."""
        return _given(self.decoder_hidden_size, self.decoder_embed_dim)

    @property
    def decoder_dropouts(self) -> tuple[float, float]:
        """(--decoder-dropout-in, --decoder-dropout-out), --dropout for those not given."""
        return (
            _given(self.decoder_dropout_in, self.dropout),
            _given(self.decoder_dropout_out, self.dropout),
        )


@dataclass(kw_only=True)
class LSTMConfig(_DecoderDefaults):
    """Options of fairseq's ``LSTMModel``."""

    dropout: float = 0.1
    """Dropout probability (the default of every --*-dropout-in/out)."""
    encoder_embed_dim: int = 512
    """Encoder embedding dimension."""
    encoder_embed_path: str | None = None
    """Pretrained encoder embeddings (a text file: a 'COUNT DIM' header, then 'WORD v1 v2 ...')."""
    encoder_freeze_embed: bool = False
    """Do not train the encoder embeddings."""
    encoder_hidden_size: int | None = None
    """Encoder hidden size (default: --encoder-embed-dim)."""
    encoder_layers: int = 1
    """Number of encoder layers."""
    encoder_bidirectional: bool = False
    """A bidirectional encoder."""
    encoder_dropout_in: float | None = None
    """Dropout on the encoder's input embeddings (default: --dropout)."""
    encoder_dropout_out: float | None = None
    """Dropout on the encoder's outputs (default: --dropout)."""
    decoder_embed_dim: int = 512
    """Decoder embedding dimension."""
    decoder_embed_path: str | None = None
    """Pretrained decoder embeddings (same format as --encoder-embed-path)."""
    decoder_freeze_embed: bool = False
    """Do not train the decoder embeddings."""
    decoder_hidden_size: int | None = None
    """Decoder hidden size (default: --decoder-embed-dim)."""
    decoder_layers: int = 1
    """Number of decoder layers."""
    decoder_out_embed_dim: int = 512
    """Decoder output embedding dimension."""
    decoder_attention: str = "1"
    """Attention over the encoder output: '1' (yes) or '0' (no), as fairseq writes it."""
    decoder_dropout_in: float | None = None
    """Dropout on the decoder's input embeddings (default: --dropout)."""
    decoder_dropout_out: float | None = None
    """Dropout on the decoder's outputs (default: --dropout)."""
    residuals: bool = False
    """Add each decoder layer's previous state to its output (fairseq's residuals)."""
    share_decoder_input_output_embed: bool = False
    """Tie the decoder's input embedding and output projection."""
    share_all_embeddings: bool = False
    """Share encoder, decoder and output embeddings (needs a joined dictionary)."""
    adaptive_softmax_cutoff: str | None = None
    """Comma-separated adaptive softmax cutoffs, e.g. 10000,50000,200000 (train it with
    --criterion adaptive_loss)."""
    max_source_positions: int = 100000
    """Longest source accepted."""
    max_target_positions: int = 100000
    """Longest target accepted."""

    @property
    def encoder_hidden(self) -> int:
        """--encoder-hidden-size, or --encoder-embed-dim when it is not given."""
        return _given(self.encoder_hidden_size, self.encoder_embed_dim)

    @property
    def encoder_dropouts(self) -> tuple[float, float]:
        """(--encoder-dropout-in, --encoder-dropout-out), --dropout for those not given."""
        return (
            _given(self.encoder_dropout_in, self.dropout),
            _given(self.encoder_dropout_out, self.dropout),
        )


@dataclass(kw_only=True)
class LSTMLanguageModelConfig(_DecoderDefaults):
    """Options of fairseq's ``LSTMLanguageModel`` (an LSTM decoder alone)."""

    dropout: float = 0.1
    """Dropout probability (the default of --decoder-dropout-in/out)."""
    decoder_embed_dim: int = 512
    """Embedding dimension."""
    decoder_embed_path: str | None = None
    """Pretrained embeddings (a text file: a 'COUNT DIM' header, then 'WORD v1 v2 ...')."""
    decoder_freeze_embed: bool = False
    """Do not train the embeddings."""
    decoder_hidden_size: int | None = None
    """Hidden size (default: --decoder-embed-dim)."""
    decoder_layers: int = 1
    """Number of LSTM layers."""
    decoder_out_embed_dim: int = 512
    """Output embedding dimension."""
    decoder_dropout_in: float | None = None
    """Dropout on the input embeddings (default: --dropout)."""
    decoder_dropout_out: float | None = None
    """Dropout on the outputs (default: --dropout)."""
    residuals: bool = False
    """Add each layer's previous state to its output (fairseq's residuals)."""
    share_decoder_input_output_embed: bool = False
    """Tie the input embedding and the output projection."""
    adaptive_softmax_cutoff: str | None = None
    """Comma-separated adaptive softmax cutoffs, e.g. 10000,50000,200000 (train it with
    --criterion adaptive_loss)."""
    max_target_positions: int | None = None
    """Longest sample accepted (default: the task's --tokens-per-sample)."""
