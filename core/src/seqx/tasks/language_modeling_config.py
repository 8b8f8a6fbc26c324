"""Options of the language modeling task (light module)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from seqx.config.ranges import Range

BreakMode = Literal["none", "complete", "complete_doc", "eos"]
"""How a language-modeling split is cut into samples (fairseq's --sample-break-mode)."""


@dataclass(kw_only=True)
class LanguageModelingConfig:
    """Options of the language_modeling task (fairseq's names)."""

    data: str = field(metadata={"positional": True})
    """Data folder made by seqx preprocess --only-source; DATA1:DATA2 iterates one shard per
    epoch."""
    sample_break_mode: BreakMode = "none"
    """How the token stream is cut into samples: 'none' (fixed blocks of --tokens-per-sample),
    'complete' (whole sentences up to --tokens-per-sample), 'complete_doc' (as complete,
    never across an empty line) or 'eos' (one sentence per sample)."""
    tokens_per_sample: Annotated[int, Range(ge=1)] = 1024
    """Maximum number of tokens per sample."""
    max_target_positions: Annotated[int | None, Range(ge=1)] = None
    """Longest sample the model is given (default: --tokens-per-sample)."""
