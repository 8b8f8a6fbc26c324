"""Options of ``seqx preprocess``, with fairseq's flag names (light module)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from seqx.config.ranges import Range


@dataclass(kw_only=True)
class PreprocessConfig:
    """Options of seqx preprocess."""

    source_lang: str | None = field(default=None, metadata={"aliases": ("-s",)})
    """Source language (file suffix: TRAINPREF.SRC)."""
    target_lang: str | None = field(default=None, metadata={"aliases": ("-t",)})
    """Target language (file suffix: TRAINPREF.TGT)."""
    trainpref: str | None = None
    """Training files prefix (TRAINPREF.SRC and TRAINPREF.TGT)."""
    validpref: str | None = None
    """Comma-separated validation file prefixes (valid, valid1, ...)."""
    testpref: str | None = None
    """Comma-separated test file prefixes (test, test1, ...)."""
    destdir: str = "data-bin"
    """Destination folder."""
    thresholdsrc: Annotated[int, Range(ge=0)] = 0
    """Map source words seen fewer than N times to <unk>."""
    thresholdtgt: Annotated[int, Range(ge=0)] = 0
    """Map target words seen fewer than N times to <unk>."""
    srcdict: str | None = None
    """Reuse this source dictionary instead of building one."""
    tgtdict: str | None = None
    """Reuse this target dictionary instead of building one."""
    nwordssrc: int = -1
    """Keep at most N source words (-1: all)."""
    nwordstgt: int = -1
    """Keep at most N target words (-1: all)."""
    joined_dictionary: bool = False
    """One dictionary for both languages."""
    only_source: bool = False
    """Only process the source language."""
    padding_factor: Annotated[int, Range(ge=1)] = 8
    """Pad dictionary sizes to a multiple of N."""
    workers: Annotated[int, Range(ge=1)] = 1
    """Number of processes."""
    dict_only: bool = False
    """Only build the dictionaries."""
    bpe_vocab_size: Annotated[int | None, Range(ge=1)] = None
    """Learn a subword model (--bpe) of this many units on the training text."""
    bpe_joint: bool = True
    """Learn one subword model on both languages (--no-bpe-joint: one per language)."""
