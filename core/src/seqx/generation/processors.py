"""Logit processors: small rules applied to a step's log-probabilities before the search.

Each processor takes the step's log-probabilities (one row per hypothesis; at step 0
one per sentence) and a :class:`StepInfo`, changes them in place or returns new ones.
The generator applies them in order: padding never, the unknown-word penalty, length
limits, forced prefix tokens, no repeated n-grams. Lexical constraints or a fused
language model are further processors of the same shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from torch import Tensor


@dataclass
class StepInfo:
    """What a processor may read about the current step."""

    step: int
    """The position being generated (0: the first token)."""
    tokens: Tensor
    """The hypotheses so far, one row per row of the log-probabilities: eos, then the
    ``step`` tokens generated."""
    sentences: Tensor
    """The batch index of each current sentence (finished sentences have left)."""
    rows_per_sentence: int
    """Rows of the log-probabilities per sentence: 1 at step 0, the beam size after."""
    max_len: int
    """The last step: only eos is allowed there."""


class LogitProcessor:
    """Base class: ``processor(lprobs, info)`` returns the processed log-probabilities."""

    def __call__(self, lprobs: Tensor, info: StepInfo) -> Tensor:
        raise NotImplementedError


class BanToken(LogitProcessor):
    """Never generate ``token`` (the padding symbol)."""

    def __init__(self, token: int) -> None:
        self.token = token

    def __call__(self, lprobs: Tensor, info: StepInfo) -> Tensor:
        lprobs[:, self.token] = -math.inf
        return lprobs


class UnknownWordPenalty(LogitProcessor):
    """``--unkpen``: subtract ``penalty`` from the unknown word's log-probability."""

    def __init__(self, unk: int, penalty: float) -> None:
        self.unk = unk
        self.penalty = penalty

    def __call__(self, lprobs: Tensor, info: StepInfo) -> Tensor:
        lprobs[:, self.unk] -= self.penalty
        return lprobs


class LengthLimits(LogitProcessor):
    """Only eos at the last step; no eos before ``--min-len`` tokens."""

    def __init__(self, eos: int, min_len: int) -> None:
        self.eos = eos
        self.min_len = min_len

    def __call__(self, lprobs: Tensor, info: StepInfo) -> Tensor:
        if info.step >= info.max_len:
            eos_col = lprobs[:, self.eos].clone()
            lprobs.fill_(-math.inf)
            lprobs[:, self.eos] = eos_col
        elif info.step < self.min_len:
            lprobs[:, self.eos] = -math.inf
        return lprobs


class PrefixTokens(LogitProcessor):
    """``--prefix-size``: the first tokens are forced to each sentence's prefix (padding in
    the prefix leaves a position free)."""

    def __init__(self, prefix: Tensor, pad: int) -> None:
        self.prefix = prefix  # sentences x prefix length
        self.pad = pad

    def __call__(self, lprobs: Tensor, info: StepInfo) -> Tensor:
        if info.step >= self.prefix.size(1):
            return lprobs
        forced = self.prefix[info.sentences, info.step]
        forced = forced.repeat_interleave(info.rows_per_sentence)
        rows = forced.ne(self.pad)
        if bool(rows.any()):
            keep = lprobs.gather(1, forced.unsqueeze(1))
            lprobs[rows] = -math.inf
            lprobs[rows] = lprobs[rows].scatter(1, forced[rows].unsqueeze(1), keep[rows])
        return lprobs


class NoRepeatNgram(LogitProcessor):
    """``--no-repeat-ngram-size``: forbid tokens that would complete an n-gram already in
    the hypothesis."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __call__(self, lprobs: Tensor, info: StepInfo) -> Tensor:
        n = self.n
        generated = info.tokens[:, 1:]
        if info.step + 1 < n or generated.size(1) < n:
            return lprobs
        tail = generated[:, generated.size(1) - (n - 1) :] if n > 1 else generated[:, :0]
        grams = generated.unfold(1, n, 1)  # rows x count x n
        match = (grams[:, :, : n - 1] == tail.unsqueeze(1)).all(-1)  # rows x count
        rows, idx = match.nonzero(as_tuple=True)
        if rows.numel():
            lprobs[rows, grams[rows, idx, n - 1]] = -math.inf
        return lprobs
