"""fairseq's named FConv archs, as data (light module)."""

from typing import Any

_WMT_EN_DE = "[(512, 3)] * 9 + [(1024, 3)] * 4 + [(2048, 1)] * 2"
_WMT_EN_FR = "[(512, 3)] * 6 + [(768, 3)] * 4 + [(1024, 3)] * 3 + [(2048, 1)] * 1 + [(4096, 1)] * 1"

ARCHS: dict[str, dict[str, Any]] = {
    "fconv": {"base": None, "defaults": {}, "help": "Convolutional seq2seq (Gehring et al.)."},
    "fconv_iwslt_de_en": {
        "base": "fconv",
        "defaults": {
            "encoder_embed_dim": 256,
            "encoder_layers": "[(256, 3)] * 4",
            "decoder_embed_dim": 256,
            "decoder_layers": "[(256, 3)] * 3",
            "decoder_out_embed_dim": 256,
        },
        "help": "FConv for IWSLT de-en (fairseq's hyperparameters).",
    },
    "fconv_wmt_en_ro": {
        "base": "fconv",
        "defaults": {"decoder_out_embed_dim": 512},
        "help": "FConv for WMT en-ro (fairseq's hyperparameters).",
    },
    "fconv_wmt_en_de": {
        "base": "fconv",
        "defaults": {
            "encoder_embed_dim": 768,
            "encoder_layers": _WMT_EN_DE,
            "decoder_embed_dim": 768,
            "decoder_layers": _WMT_EN_DE,
            "decoder_out_embed_dim": 512,
        },
        "help": "FConv for WMT en-de (fairseq's hyperparameters).",
    },
    "fconv_wmt_en_fr": {
        "base": "fconv",
        "defaults": {
            "encoder_embed_dim": 768,
            "encoder_layers": _WMT_EN_FR,
            "decoder_embed_dim": 768,
            "decoder_layers": _WMT_EN_FR,
            "decoder_out_embed_dim": 512,
        },
        "help": "FConv for WMT en-fr (fairseq's hyperparameters).",
    },
}
