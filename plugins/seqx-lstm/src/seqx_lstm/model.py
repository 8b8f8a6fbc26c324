"""``LSTMModel``: the LSTM encoder-decoder built from an ``LSTMConfig`` and a task."""

from __future__ import annotations

from typing import Any

from seqx.errors import ConfigError
from seqx.models import EncoderDecoderModel
from seqx.models.adaptive_softmax import parse_cutoff
from seqx_lstm.config import LSTMConfig
from seqx_lstm.decoder import LSTMDecoder
from seqx_lstm.embedding import build_embedding
from seqx_lstm.encoder import LSTMEncoder


def attention_flag(value: str) -> bool:
    """fairseq's --decoder-attention '1'/'0' (true/false accepted too)."""
    text = str(value).strip().lower()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    raise ConfigError(f"--decoder-attention takes '1' or '0', got {value!r}")


class LSTMModel(EncoderDecoderModel):
    """LSTM encoder-decoder with attention and input feeding, as fairseq defines it."""

    fused_loss = True  # the standard path: criterions may project only the targets

    def __init__(self, cfg: LSTMConfig, encoder: LSTMEncoder, decoder: LSTMDecoder) -> None:
        super().__init__(encoder, decoder)
        self.cfg = cfg

    @classmethod
    def build_model(cls, cfg: LSTMConfig, task: Any) -> LSTMModel:
        src_dict, tgt_dict = task.source_dictionary, task.target_dictionary
        cutoff = None
        if cfg.adaptive_softmax_cutoff:
            cutoff = parse_cutoff(
                cfg.adaptive_softmax_cutoff, len(tgt_dict), "--adaptive-softmax-cutoff"
            )
        encoder_embed = build_embedding(
            src_dict,
            cfg.encoder_embed_dim,
            cfg.encoder_embed_path,
            cfg.encoder_freeze_embed,
            "--encoder-embed-path",
        )
        if cfg.share_all_embeddings:
            if src_dict != tgt_dict:
                raise ConfigError(
                    "--share-all-embeddings needs one dictionary for both languages: "
                    "preprocess with --joined-dictionary"
                )
            if cfg.encoder_embed_path != cfg.decoder_embed_path:
                raise ConfigError(
                    "--share-all-embeddings needs --encoder-embed-path = --decoder-embed-path"
                )
            if cfg.encoder_embed_dim != cfg.decoder_embed_dim:
                raise ConfigError(
                    "--share-all-embeddings needs --encoder-embed-dim = --decoder-embed-dim"
                )
            decoder_embed = encoder_embed
            share_output = True
        else:
            decoder_embed = build_embedding(
                tgt_dict,
                cfg.decoder_embed_dim,
                cfg.decoder_embed_path,
                cfg.decoder_freeze_embed,
                "--decoder-embed-path",
            )
            share_output = cfg.share_decoder_input_output_embed
        if share_output and cfg.decoder_out_embed_dim != cfg.decoder_embed_dim:
            raise ConfigError(
                "shared output embeddings need --decoder-out-embed-dim = --decoder-embed-dim"
            )
        dropout_in, dropout_out = cfg.encoder_dropouts
        encoder = LSTMEncoder(
            src_dict,
            encoder_embed,
            hidden_size=cfg.encoder_hidden,
            num_layers=cfg.encoder_layers,
            dropout_in=dropout_in,
            dropout_out=dropout_out,
            bidirectional=cfg.encoder_bidirectional,
            max_positions=cfg.max_source_positions,
        )
        dropout_in, dropout_out = cfg.decoder_dropouts
        decoder = LSTMDecoder(
            tgt_dict,
            decoder_embed,
            hidden_size=cfg.decoder_hidden,
            out_embed_dim=cfg.decoder_out_embed_dim,
            num_layers=cfg.decoder_layers,
            dropout_in=dropout_in,
            dropout_out=dropout_out,
            attention=attention_flag(cfg.decoder_attention),
            encoder_output_units=encoder.output_units,
            share_input_output_embed=share_output,
            residuals=cfg.residuals,
            max_positions=cfg.max_target_positions,
            adaptive_softmax_cutoff=cutoff,
        )
        return cls(cfg, encoder, decoder)
