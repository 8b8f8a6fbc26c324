"""Search strategies: from one step's log-probabilities to each sentence's candidates.

A strategy proposes ``2 x beam`` candidates per sentence (so that ``beam`` of them
remain after those ending in eos are set aside): their cumulative scores, tokens, and
the beam each continues. :class:`BeamSearch` takes the best over beams x vocabulary;
:class:`Sampling` draws one token per beam. Constrained or diverse beam search are
further strategies of the same shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

from seqx.generation.topk import topk


@dataclass
class Candidates:
    """``2 x beam`` candidates for each current sentence (``sentences x 2*beam`` each)."""

    scores: Tensor
    """Cumulative log-probability of the hypothesis the candidate makes (-inf: none)."""
    tokens: Tensor
    """The candidate's token."""
    beams: Tensor
    """The beam (within its sentence) the candidate continues."""


class Search:
    """Base class of search strategies."""

    def __init__(self, beam_size: int, vocab_size: int, pad: int) -> None:
        self.beam_size = beam_size
        self.vocab_size = vocab_size
        self.pad = pad

    def step(self, step: int, lprobs: Tensor, scores: Tensor, sentences: int) -> Candidates:
        """Candidates from ``lprobs`` (one row per hypothesis; at step 0 one per sentence)
        and the hypotheses' cumulative ``scores`` (rows x steps)."""
        raise NotImplementedError


class BeamSearch(Search):
    """The ``2 x beam`` best continuations over every beam of a sentence."""

    def step(self, step: int, lprobs: Tensor, scores: Tensor, sentences: int) -> Candidates:
        # step 0 has one row per sentence; later steps pick among beams x vocabulary
        flat = lprobs if step == 0 else lprobs.add_(scores[:, step - 1 : step])
        flat = flat.view(sentences, -1)
        wanted = 2 * self.beam_size
        cand_scores, idx = topk(flat, min(wanted, flat.size(1)))
        cand_beams = torch.div(idx, self.vocab_size, rounding_mode="floor")
        cand_tokens = idx % self.vocab_size
        missing = wanted - cand_scores.size(1)
        if missing > 0:  # fewer candidates than beams: the rest are dead hypotheses
            cand_scores = torch.cat(
                [cand_scores, cand_scores.new_full((sentences, missing), -math.inf)], 1
            )
            cand_tokens = torch.cat(
                [cand_tokens, cand_tokens.new_full((sentences, missing), self.pad)], 1
            )
            cand_beams = torch.cat([cand_beams, cand_beams.new_zeros((sentences, missing))], 1)
        return Candidates(cand_scores, cand_tokens, cand_beams)


class Sampling(Search):
    """One token drawn per beam (top-k / top-p filtered); beams stay separate."""

    def __init__(
        self, beam_size: int, vocab_size: int, pad: int, topk: int = -1, topp: float = -1.0
    ) -> None:
        super().__init__(beam_size, vocab_size, pad)
        self.topk = topk
        self.topp = topp

    def _filtered_probs(self, lprobs: Tensor) -> Tensor:
        probs = lprobs.exp()
        if self.topk > 0:
            kth = probs.topk(min(self.topk, probs.size(1)), dim=1).values[:, -1:]
            probs = probs.masked_fill(probs < kth, 0.0)
        if 0 < self.topp < 1:
            sorted_p, sorted_i = probs.sort(dim=1, descending=True)
            cum = sorted_p.cumsum(1)
            remove = cum - sorted_p > self.topp
            sorted_p = sorted_p.masked_fill(remove, 0.0)
            probs = torch.zeros_like(probs).scatter(1, sorted_i, sorted_p)
        return probs

    def step(self, step: int, lprobs: Tensor, scores: Tensor, sentences: int) -> Candidates:
        beam = self.beam_size
        probs = self._filtered_probs(lprobs)
        if step == 0:  # one row per sentence: one draw per beam from it
            probs = probs.repeat_interleave(beam, dim=0)
            lprobs = lprobs.repeat_interleave(beam, dim=0)
        drawn = torch.multinomial(probs, 1)  # (sentences*beam, 1)
        token_scores = lprobs.gather(1, drawn)
        if step > 0:
            token_scores = token_scores + scores[:, step - 1 : step]
        cand_scores = token_scores.view(sentences, beam)
        cand_tokens = drawn.view(sentences, beam)
        cand_beams = torch.arange(beam, device=lprobs.device).repeat(sentences, 1)
        # pad to 2*beam candidates so that the beam bookkeeping stays the same
        return Candidates(
            torch.cat([cand_scores, torch.full_like(cand_scores, -math.inf)], 1),
            torch.cat([cand_tokens, torch.full_like(cand_tokens, self.pad)], 1),
            torch.cat([cand_beams, cand_beams], 1),
        )
