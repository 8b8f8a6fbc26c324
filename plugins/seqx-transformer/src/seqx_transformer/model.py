"""``TransformerModel``: the encoder-decoder built from a ``TransformerConfig`` and a task."""

from __future__ import annotations

from typing import Any

from torch import nn

from seqx.errors import ConfigError
from seqx.models import EncoderDecoderModel
from seqx_transformer.config import TransformerConfig
from seqx_transformer.decoder import TransformerDecoder
from seqx_transformer.encoder import TransformerEncoder


def embedding(num: int, dim: int, padding_idx: int) -> nn.Embedding:
    """An embedding initialized as fairseq's: N(0, dim^-0.5), zero padding row."""
    m = nn.Embedding(num, dim, padding_idx=padding_idx)
    nn.init.normal_(m.weight, mean=0, std=dim**-0.5)
    nn.init.constant_(m.weight[padding_idx], 0)
    return m


class TransformerModel(EncoderDecoderModel):
    """Transformer encoder-decoder (Vaswani et al., 2017), as fairseq defines it."""

    fused_loss = True  # the standard path: criterions may project only the targets

    def __init__(
        self, cfg: TransformerConfig, encoder: TransformerEncoder, decoder: TransformerDecoder
    ):
        super().__init__(encoder, decoder)
        self.cfg = cfg

    @classmethod
    def build_model(cls, cfg: TransformerConfig, task: Any) -> TransformerModel:
        src_dict, tgt_dict = task.source_dictionary, task.target_dictionary
        if cfg.share_all_embeddings:
            if src_dict != tgt_dict:
                raise ConfigError(
                    "--share-all-embeddings needs one dictionary for both languages: "
                    "preprocess with --joined-dictionary"
                )
            if cfg.encoder_embed_dim != cfg.decoder_dim:
                raise ConfigError(
                    "--share-all-embeddings needs --encoder-embed-dim = --decoder-embed-dim"
                )
            encoder_embed = embedding(len(src_dict), cfg.encoder_embed_dim, src_dict.pad())
            decoder_embed = encoder_embed
            share_output = True
        else:
            encoder_embed = embedding(len(src_dict), cfg.encoder_embed_dim, src_dict.pad())
            decoder_embed = embedding(len(tgt_dict), cfg.decoder_dim, tgt_dict.pad())
            share_output = cfg.share_decoder_input_output_embed
        encoder = TransformerEncoder(cfg, src_dict, encoder_embed)
        decoder = TransformerDecoder(cfg, tgt_dict, decoder_embed, share_output)
        return cls(cfg, encoder, decoder)
