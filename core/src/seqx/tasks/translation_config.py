"""Options of the translation task (light module)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from seqx.config.ranges import Range


@dataclass(kw_only=True)
class TranslationConfig:
    """Options of the translation task."""

    data: str = field(metadata={"positional": True})
    """Data folder made by seqx preprocess; DATA1:DATA2 iterates one shard per epoch."""
    source_lang: str | None = field(default=None, metadata={"aliases": ("-s",)})
    """Source language (inferred from the data folder if not given)."""
    target_lang: str | None = field(default=None, metadata={"aliases": ("-t",)})
    """Target language (inferred from the data folder if not given)."""
    left_pad_source: bool = True
    """Pad the source on the left."""
    left_pad_target: bool = False
    """Pad the target on the left."""
    max_source_positions: Annotated[int, Range(ge=1)] = 1024
    """Maximum number of tokens in the source."""
    max_target_positions: Annotated[int, Range(ge=1)] = 1024
    """Maximum number of tokens in the target."""
    upsample_primary: Annotated[int, Range(ge=1)] = 1
    """Repeat the first training corpus (train) this many times when train1, train2, ...
    are there too."""
    eval_bleu: bool = False
    """Decode the validation set and score BLEU at every validation."""
    eval_bleu_args: str = "{}"
    """Generation options for --eval-bleu, as JSON, e.g. '{"beam": 4}'."""
    eval_bleu_detok: str = "space"
    """Detokenizer for --eval-bleu: 'space' (none) or a tokenizer name such as moses."""
    eval_tokenized_bleu: bool = False
    """Score BLEU on tokenized text (sacrebleu's tokenizer 'none')."""
    eval_bleu_remove_bpe: str | None = field(default=None, metadata={"const": "@@ "})
    """Subword marker to remove before scoring ('@@ ' alone, 'sentencepiece', ...)."""
    eval_bleu_print_samples: bool = False
    """Print a sample hypothesis and reference at each validation."""
