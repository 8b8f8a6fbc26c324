"""``SequenceGenerator``: batched beam search (or sampling) over cached incremental state.

Works with any encoder-decoder model through the ``Encoder`` and ``Decoder`` interfaces
(incremental decoders step from their caches) and with ensembles. Each step: the
models' log-probabilities, the logit processors (:mod:`seqx.generation.processors`), the
search strategy's candidates (:mod:`seqx.generation.search`), then the bookkeeping
here: hypotheses that end are finalized, finished sentences leave the batch (later
steps compute only what is still searched), the rest continue.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from seqx.generation.config import GenerationConfig
from seqx.generation.ensemble import EnsembleModel
from seqx.generation.processors import (
    BanToken,
    LengthLimits,
    LogitProcessor,
    NoRepeatNgram,
    PrefixTokens,
    StepInfo,
    UnknownWordPenalty,
)
from seqx.generation.search import BeamSearch, Candidates, Sampling, Search
from seqx.models.base_model import EncoderDecoderModel

Hypothesis = dict[str, Any]
"""``{"tokens", "score", "positional_scores", "alignment"}``."""


@dataclass
class Hypotheses:
    """The running hypotheses of a search: ``beam`` rows per current sentence."""

    tokens: Tensor
    """rows x (max_len + 2): eos, then the tokens generated so far, then padding."""
    scores: Tensor
    """rows x (max_len + 1): the cumulative log-probability after each step."""
    sentences: Tensor
    """The batch index of each current sentence."""
    encoder_outs: list[Any]
    """Each model's encoder output, expanded to the rows."""
    finalized: list[list[Hypothesis]]
    """Per batch sentence, the hypotheses that ended."""


class SequenceGenerator:
    """Generates translations of a batch with beam search or sampling."""

    def __init__(self, tgt_dict: Any, cfg: GenerationConfig | None = None, **overrides: Any):
        cfg = dataclasses.replace(
            cfg or GenerationConfig(), **overrides
        )  # the caller's stays as is
        self.cfg = cfg
        self.pad, self.eos, self.unk = tgt_dict.pad(), tgt_dict.eos(), tgt_dict.unk()
        self.vocab_size = len(tgt_dict)
        self.beam_size = cfg.beam
        self.search: Search = (
            Sampling(
                self.beam_size, self.vocab_size, self.pad, cfg.sampling_topk, cfg.sampling_topp
            )
            if cfg.sampling
            else BeamSearch(self.beam_size, self.vocab_size, self.pad)
        )

    def processors(self, prefix_tokens: Tensor | None) -> list[LogitProcessor]:
        """The logit processors of this search, in the order they apply."""
        cfg = self.cfg
        out: list[LogitProcessor] = [BanToken(self.pad), UnknownWordPenalty(self.unk, cfg.unkpen)]
        out.append(LengthLimits(self.eos, cfg.min_len))
        if prefix_tokens is not None:
            out.append(PrefixTokens(prefix_tokens, self.pad))
        if cfg.no_repeat_ngram_size > 0:
            out.append(NoRepeatNgram(cfg.no_repeat_ngram_size))
        return out

    @torch.no_grad()
    def generate(
        self,
        models: list[EncoderDecoderModel] | EncoderDecoderModel,
        sample: dict[str, Any],
        prefix_tokens: Tensor | None = None,
    ) -> list[list[Hypothesis]]:
        """For each sentence of ``sample``, its ``nbest`` hypotheses, best first.

        A hypothesis is ``{"tokens", "score", "positional_scores", "alignment"}``;
        ``tokens`` ends with eos and ``score`` is the length-normalized log
        probability (base e).

        Parametrized weights (weight normalization) are computed once per batch, not at
        every step.
        """
        with torch.nn.utils.parametrize.cached():
            return self._generate(models, sample, prefix_tokens)

    def _max_len(self, model: EnsembleModel, src_len: int) -> int:
        cfg = self.cfg
        max_len = int(cfg.max_len_a * src_len + cfg.max_len_b)
        limit = model.max_decoder_positions()
        if limit is not None:
            max_len = min(max_len, limit - 1)
        return max(max_len, 0)  # 0 as in fairseq: only </s>, an empty hypothesis

    def _generate(
        self,
        models: list[EncoderDecoderModel] | EncoderDecoderModel,
        sample: dict[str, Any],
        prefix_tokens: Tensor | None,
    ) -> list[list[Hypothesis]]:
        models = models if isinstance(models, list) else [models]
        for m in models:
            m.eval()
        beam = self.beam_size
        model = EnsembleModel(models, beam)
        src_tokens = sample["net_input"]["src_tokens"]
        bsz, src_len = src_tokens.shape
        max_len = self._max_len(model, src_len)
        device = src_tokens.device
        tokens = torch.full((bsz * beam, max_len + 2), self.pad, dtype=torch.long, device=device)
        tokens[:, 0] = self.eos
        hyps = Hypotheses(
            tokens=tokens,
            scores=torch.zeros(bsz * beam, max_len + 1, device=device),
            sentences=torch.arange(bsz, device=device),
            encoder_outs=model.encode(sample["net_input"]),
            finalized=[[] for _ in range(bsz)],
        )
        processors = self.processors(prefix_tokens)
        for step in range(max_len + 1):
            lprobs = self._step_log_probs(model, hyps, step)
            per_sentence = 1 if step == 0 else beam  # step 0 runs once per sentence
            rows = hyps.tokens[:: beam // per_sentence, : step + 1]
            info = StepInfo(step, rows, hyps.sentences, per_sentence, max_len)
            for processor in processors:
                lprobs = processor(lprobs, info)
            cands = self.search.step(step, lprobs, hyps.scores, hyps.sentences.numel())
            if not self._advance(step, cands, hyps, model, max_len):
                break
        for found in hyps.finalized:
            found.sort(key=lambda h: h["score"], reverse=True)
            del found[self.cfg.nbest :]
        return hyps.finalized

    def _step_log_probs(self, model: EnsembleModel, hyps: Hypotheses, step: int) -> Tensor:
        """The step's log-probabilities.

        Step 0 is the same for every beam of a sentence: it runs once per sentence, then
        the decoder state and the encoder output are expanded to the beams.
        """
        beam, temperature = self.beam_size, self.cfg.temperature
        if step > 0:
            return model.log_probs(hyps.tokens[:, : step + 1], hyps.encoder_outs, temperature)
        lprobs = model.log_probs(hyps.tokens[::beam, :1], hyps.encoder_outs, temperature)
        if beam > 1:
            expand = torch.arange(hyps.sentences.numel(), device=lprobs.device)
            expand = expand.repeat_interleave(beam)
            model.reorder_state(expand)
            hyps.encoder_outs = model.reorder_encoder_out(hyps.encoder_outs, expand)
        return lprobs

    def _advance(
        self, step: int, cands: Candidates, hyps: Hypotheses, model: EnsembleModel, max_len: int
    ) -> bool:
        """Finalize the hypotheses that end at ``step`` and continue the others; whether
        any sentence is left to search."""
        beam = self.beam_size
        cur = hyps.sentences.numel()
        num_cands = cands.scores.size(1)
        offsets = (torch.arange(cur, device=cands.scores.device) * beam).unsqueeze(1)
        cand_rows = cands.beams + offsets  # rows of the current batch
        # hypotheses that end now (eos among the top `beam` candidates)
        eos_mask = cands.tokens.eq(self.eos) & cands.scores.ne(-math.inf)
        top_eos = eos_mask[:, :beam]
        done_now = torch.zeros(cur, dtype=torch.bool, device=cands.scores.device)
        if bool(top_eos.any()):
            done_now = self._finalize(
                step, top_eos, cand_rows[:, :beam], cands.scores[:, :beam], hyps
            )
        if step >= max_len:
            return False
        keep = ~done_now
        if not bool(keep.any()):
            return False
        # choose the `beam` best candidates that do not end, per remaining sentence
        rank = eos_mask.long() * num_cands + torch.arange(num_cands, device=keep.device)
        order = rank.topk(beam, dim=1, largest=False).indices
        active_rows = cand_rows.gather(1, order)
        active_tokens = cands.tokens.gather(1, order)
        active_scores = cands.scores.gather(1, order)
        shrink = not bool(keep.all())
        if shrink:
            active_rows, active_tokens = active_rows[keep], active_tokens[keep]
            active_scores = active_scores[keep]
            hyps.sentences = hyps.sentences[keep]
        new_order = active_rows.view(-1)
        hyps.tokens = hyps.tokens.index_select(0, new_order)
        hyps.tokens[:, step + 1] = active_tokens.view(-1)
        hyps.scores = hyps.scores.index_select(0, new_order)
        hyps.scores[:, step] = active_scores.view(-1)
        model.reorder_state(new_order)
        if shrink:  # beams of one sentence share its encoder output: reorder on shrink only
            hyps.encoder_outs = model.reorder_encoder_out(hyps.encoder_outs, new_order)
        return True

    def _finalize(
        self, step: int, top_eos: Tensor, rows: Tensor, cand_scores: Tensor, hyps: Hypotheses
    ) -> Tensor:
        """Record the hypotheses ending at ``step``; return which sentences are complete."""
        beam, cfg = self.beam_size, self.cfg
        sent_idx, cand_idx = top_eos.nonzero(as_tuple=True)
        chosen_rows = rows[sent_idx, cand_idx]
        final_scores = cand_scores[sent_idx, cand_idx]
        hyp_tokens = hyps.tokens.index_select(0, chosen_rows)[:, 1 : step + 2].clone()
        hyp_tokens[:, step] = self.eos
        cum = hyps.scores.index_select(0, chosen_rows)[:, : step + 1].clone()
        cum[:, step] = final_scores
        positional = cum.clone()
        positional[:, 1:] = cum[:, 1:] - cum[:, :-1]
        if not cfg.unnormalized:
            final_scores = final_scores / (step + 1) ** cfg.lenpen
        done = torch.zeros(top_eos.size(0), dtype=torch.bool)
        for k, (s, score) in enumerate(zip(sent_idx.tolist(), final_scores.tolist())):
            bucket = hyps.finalized[int(hyps.sentences[s])]
            if len(bucket) < beam:
                bucket.append(
                    {
                        "tokens": hyp_tokens[k],
                        "score": score,
                        "positional_scores": positional[k],
                        "alignment": None,
                    }
                )
            if len(bucket) >= beam:
                done[s] = True
        return done.to(top_eos.device)
