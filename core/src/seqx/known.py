"""Names provided by seqx's own plugin distributions.

Used only to tell a user which distribution to ``pip install`` when a name
is unknown because its plugin is not installed. ``tests/test_known_names.py``
checks it against what the installed plugins register.
"""

from __future__ import annotations

KNOWN_DISTRIBUTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "seqx-transformer": {
        "model": ("transformer",),
        "arch": (
            "transformer",
            "transformer_tiny",
            "transformer_iwslt_de_en",
            "transformer_wmt_en_de",
            "transformer_vaswani_wmt_en_de_big",
            "transformer_vaswani_wmt_en_fr_big",
            "transformer_wmt_en_de_big",
            "transformer_wmt_en_de_big_t2t",
        ),
        "fairseq_adapter": ("transformer",),
    },
    "seqx-lstm": {
        "model": ("lstm", "lstm_lm"),
        "arch": ("lstm", "lstm_wiseman_iwslt_de_en", "lstm_luong_wmt_en_de", "lstm_lm"),
        "fairseq_adapter": ("lstm", "lstm_lm"),
    },
    "seqx-fconv": {
        "model": ("fconv",),
        "arch": (
            "fconv",
            "fconv_iwslt_de_en",
            "fconv_wmt_en_ro",
            "fconv_wmt_en_de",
            "fconv_wmt_en_fr",
        ),
        "fairseq_adapter": ("fconv",),
    },
    "seqx-optim": {
        "optimizer": (
            "adam",
            "sgd",
            "nag",
            "adadelta",
            "adagrad",
            "adamax",
            "lamb",
            "adafactor",
            "cpu_adam",
            "composite",
        ),
        "lr_scheduler": (
            "fixed",
            "inverse_sqrt",
            "cosine",
            "polynomial_decay",
            "reduce_lr_on_plateau",
            "step",
            "tri_stage",
            "triangular",
            "manual",
            "pass_through",
        ),
    },
    "seqx-data": {
        "dataset_format": ("raw", "mmap", "lazy", "cached"),
        "tokenizer": ("space", "moses"),
        "bpe": (
            "sentencepiece",
            "subword_nmt",
            "characters",
            "bytes",
            "byte_bpe",
            "gpt2",
            "hf_byte_bpe",
            "bert",
        ),
        "scorer": ("chrf", "wer"),
    },
}
"""Distribution name -> kind -> the names it registers."""


def distribution_providing(kind: str, name: str) -> str | None:
    """The seqx distribution known to provide ``kind`` ``name``, if any."""
    for dist, kinds in KNOWN_DISTRIBUTIONS.items():
        if name in kinds.get(kind, ()):
            return dist
    return None
