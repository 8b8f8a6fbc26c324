"""``FConvModel``: the convolutional encoder-decoder built from an ``FConvConfig`` and a task."""

from __future__ import annotations

from typing import Any

from torch import nn

from seqx.errors import ConfigError
from seqx.models import EncoderDecoderModel
from seqx.models.embedding_file import load_pretrained
from seqx_fconv.config import FConvConfig
from seqx_fconv.decoder import FConvDecoder
from seqx_fconv.encoder import FConvEncoder
from seqx_fconv.modules import embedding
from seqx_fconv.specs import attention_layers, conv_layers


def build_embedding(dictionary: Any, dim: int, path: str | None, flag: str) -> nn.Embedding:
    """fairseq's FConv embedding (N(0, 0.1)), overwritten from ``path`` when given."""
    emb = embedding(len(dictionary), dim, dictionary.pad())
    if path:
        load_pretrained(path, dictionary, emb, flag)
    return emb


class FConvModel(EncoderDecoderModel):
    """Convolutional sequence to sequence learning (Gehring et al., 2017), as fairseq's."""

    fused_loss = True  # the standard path: criterions may project only the targets

    def __init__(self, cfg: FConvConfig, encoder: FConvEncoder, decoder: FConvDecoder) -> None:
        super().__init__(encoder, decoder)
        self.cfg = cfg
        encoder.num_attention_layers = sum(a is not None for a in decoder.attention)

    @classmethod
    def build_model(cls, cfg: FConvConfig, task: Any) -> FConvModel:
        src_dict, tgt_dict = task.source_dictionary, task.target_dictionary
        enc_layers = conv_layers(cfg.encoder_layers, "--encoder-layers")
        dec_layers = conv_layers(cfg.decoder_layers, "--decoder-layers")
        attention = attention_layers(cfg.decoder_attention, len(dec_layers), "--decoder-attention")
        if cfg.share_input_output_embed and cfg.decoder_out_embed_dim != cfg.decoder_embed_dim:
            raise ConfigError(
                "--share-input-output-embed needs --decoder-out-embed-dim = --decoder-embed-dim"
            )
        encoder = FConvEncoder(
            src_dict,
            build_embedding(
                src_dict, cfg.encoder_embed_dim, cfg.encoder_embed_path, "--encoder-embed-path"
            ),
            enc_layers,
            cfg.dropout,
            cfg.max_source_positions,
        )
        decoder = FConvDecoder(
            tgt_dict,
            build_embedding(
                tgt_dict, cfg.decoder_embed_dim, cfg.decoder_embed_path, "--decoder-embed-path"
            ),
            cfg.decoder_out_embed_dim,
            dec_layers,
            attention,
            cfg.dropout,
            cfg.share_input_output_embed,
            cfg.max_target_positions,
        )
        return cls(cfg, encoder, decoder)
