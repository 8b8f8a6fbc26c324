"""fairseq's named Transformer archs, as data (light module)."""

from typing import Any

BIG = {
    "encoder_embed_dim": 1024,
    "encoder_ffn_embed_dim": 4096,
    "encoder_attention_heads": 16,
    "encoder_normalize_before": False,
    "decoder_embed_dim": 1024,
    "decoder_ffn_embed_dim": 4096,
    "decoder_attention_heads": 16,
    "dropout": 0.3,
}

ARCHS: dict[str, dict[str, Any]] = {
    "transformer": {"base": None, "defaults": {}, "help": "Base Transformer (Vaswani et al.)."},
    "transformer_tiny": {
        "base": "transformer",
        "defaults": {
            "encoder_embed_dim": 64,
            "encoder_ffn_embed_dim": 64,
            "encoder_layers": 2,
            "encoder_attention_heads": 2,
            "decoder_layers": 2,
            "decoder_attention_heads": 2,
        },
        "help": "A tiny Transformer for tests and demos.",
    },
    "transformer_iwslt_de_en": {
        "base": "transformer",
        "defaults": {
            "encoder_embed_dim": 512,
            "encoder_ffn_embed_dim": 1024,
            "encoder_attention_heads": 4,
            "encoder_layers": 6,
            "decoder_embed_dim": 512,
            "decoder_ffn_embed_dim": 1024,
            "decoder_attention_heads": 4,
            "decoder_layers": 6,
        },
        "help": "Transformer for IWSLT'14 de-en (FFN 1024, 4 heads).",
    },
    "transformer_wmt_en_de": {
        "base": "transformer",
        "defaults": {},
        "help": "Transformer base for WMT en-de.",
    },
    "transformer_vaswani_wmt_en_de_big": {
        "base": "transformer",
        "defaults": BIG,
        "help": "Transformer big (Vaswani et al., 2017).",
    },
    "transformer_vaswani_wmt_en_fr_big": {
        "base": "transformer_vaswani_wmt_en_de_big",
        "defaults": {"dropout": 0.1},
        "help": "Transformer big for WMT en-fr.",
    },
    "transformer_wmt_en_de_big": {
        "base": "transformer_vaswani_wmt_en_de_big",
        "defaults": {"attention_dropout": 0.1},
        "help": "Transformer big with attention dropout (Ott et al., 2018).",
    },
    "transformer_wmt_en_de_big_t2t": {
        "base": "transformer_vaswani_wmt_en_de_big",
        "defaults": {
            "encoder_normalize_before": True,
            "decoder_normalize_before": True,
            "attention_dropout": 0.1,
            "activation_dropout": 0.1,
        },
        "help": "Transformer big, pre-norm as in tensor2tensor.",
    },
}
