"""fairseq's named LSTM archs, as data (light module)."""

from typing import Any

ARCHS: dict[str, dict[str, Any]] = {
    "lstm": {"base": None, "defaults": {}, "help": "LSTM encoder-decoder with attention."},
    "lstm_wiseman_iwslt_de_en": {
        "base": "lstm",
        "defaults": {
            "dropout": 0.1,
            "encoder_embed_dim": 256,
            "encoder_dropout_in": 0.0,
            "encoder_dropout_out": 0.0,
            "decoder_embed_dim": 256,
            "decoder_out_embed_dim": 256,
            "decoder_dropout_in": 0.0,
        },
        "help": "Wiseman & Rush (2016) on IWSLT de-en (fairseq's hyperparameters).",
    },
    "lstm_luong_wmt_en_de": {
        "base": "lstm",
        "defaults": {
            "encoder_embed_dim": 1000,
            "encoder_layers": 4,
            "encoder_dropout_out": 0.0,
            "decoder_embed_dim": 1000,
            "decoder_layers": 4,
            "decoder_out_embed_dim": 1000,
            "decoder_dropout_out": 0.0,
        },
        "help": "Luong et al. (2015) on WMT en-de (fairseq's hyperparameters).",
    },
}

LM_ARCHS: dict[str, dict[str, Any]] = {
    "lstm_lm": {
        "base": None,
        "defaults": {},
        "help": "LSTM language model (fairseq's lstm_lm hyperparameters).",
    },
}
