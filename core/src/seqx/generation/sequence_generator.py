"""``SequenceGenerator``: batched beam search (or sampling) over cached incremental state.

Works with any encoder-decoder model through the ``Encoder`` and
``IncrementalDecoder`` interfaces, and with ensembles (probabilities are
averaged). Finished sentences leave the batch, so later steps compute only
what is still being searched.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import torch
from torch import Tensor

from seqx.generation.config import GenerationConfig
from seqx.generation.topk import topk
from seqx.models.base_model import BaseModel
from seqx.models.decoder import Decoder


def plain_softmax(model: Any) -> bool:
    """Whether ``model``'s probabilities are the softmax of its decoder's scores, as the
    base classes compute them (no adaptive softmax, no override)."""
    decoder = getattr(model, "decoder", None)
    return (
        isinstance(model, BaseModel)
        and type(model).get_normalized_probs is BaseModel.get_normalized_probs
        and isinstance(decoder, Decoder)
        and type(decoder).get_normalized_probs is Decoder.get_normalized_probs
        and decoder.adaptive_softmax is None
    )


class EnsembleModel:
    """Several models decoded together; log-probabilities are averaged in probability space.

    A single model with a plain softmax writes its log-probabilities into a buffer kept for
    the whole search: a fresh (beams x vocabulary) float32 tensor at every step costs more in
    page faults than the softmax itself.
    """

    def __init__(self, models: list[Any]) -> None:
        self.models = models
        self.states: list[dict[str, Any]] = [{} for _ in models]
        self.buffered = len(models) == 1 and plain_softmax(models[0])
        self._buffer: Tensor | None = None

    def _log_softmax_into_buffer(self, logits: Tensor) -> Tensor:
        rows, vocab = logits.shape
        if self._buffer is None or self._buffer.size(0) < rows:
            self._buffer = torch.empty(rows, vocab, device=logits.device)
        scores = self._buffer[:rows]
        return torch.log_softmax(scores.copy_(logits), dim=-1, out=scores)  # in place

    def max_decoder_positions(self) -> int | None:
        limits = [
            m.max_decoder_positions() for m in self.models if hasattr(m, "max_decoder_positions")
        ]
        limits = [x for x in limits if x is not None]
        return min(limits) if limits else None

    def encode(self, net_input: dict[str, Tensor]) -> list[Any]:
        return [
            m.encoder(net_input["src_tokens"], src_lengths=net_input["src_lengths"])
            for m in self.models
        ]

    def reorder_encoder_out(self, outs: list[Any], new_order: Tensor) -> list[Any]:
        return [m.encoder.reorder_encoder_out(o, new_order) for m, o in zip(self.models, outs)]

    def reorder_state(self, new_order: Tensor) -> None:
        for m, state in zip(self.models, self.states):
            m.decoder.reorder_incremental_state(state, new_order)

    def set_beam_size(self, beam: int) -> None:
        for m in self.models:
            m.decoder.set_beam_size(beam)

    def log_probs(self, tokens: Tensor, encoder_outs: list[Any], temperature: float) -> Tensor:
        out = None
        for m, enc, state in zip(self.models, encoder_outs, self.states):
            logits, extra = m.decoder(tokens, encoder_out=enc, incremental_state=state)
            logits = logits[:, -1:, :]
            if temperature != 1.0:
                logits = logits / temperature
            if self.buffered:
                return self._log_softmax_into_buffer(logits[:, -1, :])
            lp = m.get_normalized_probs((logits, extra), log_probs=True)[:, -1, :]
            out = lp if out is None else torch.logaddexp(out, lp)
        assert out is not None
        if len(self.models) > 1:
            out = out - math.log(len(self.models))
        return out


class SequenceGenerator:
    """Generates translations of a batch with beam search or sampling."""

    def __init__(self, tgt_dict: Any, cfg: GenerationConfig | None = None, **overrides: Any):
        cfg = dataclasses.replace(
            cfg or GenerationConfig(), **overrides
        )  # the caller's stays as is
        self.cfg = cfg
        self.pad, self.eos, self.unk = tgt_dict.pad(), tgt_dict.eos(), tgt_dict.unk()
        self.vocab_size = len(tgt_dict)
        self.beam_size = max(1, cfg.beam)
        if cfg.nbest > self.beam_size:
            raise ValueError(f"--nbest {cfg.nbest} cannot exceed --beam {self.beam_size}")

    @torch.no_grad()
    def generate(
        self, models: list[Any] | Any, sample: dict[str, Any], prefix_tokens: Tensor | None = None
    ) -> list[list[dict[str, Any]]]:
        """For each sentence of ``sample``, its ``nbest`` hypotheses, best first.

        A hypothesis is ``{"tokens", "score", "positional_scores", "alignment"}``;
        ``tokens`` ends with eos and ``score`` is the length-normalized log
        probability (base e).

        Parametrized weights (weight normalization) are computed once per batch, not at
        every step.
        """
        with torch.nn.utils.parametrize.cached():
            return self._generate(models, sample, prefix_tokens)

    def _generate(
        self, models: list[Any] | Any, sample: dict[str, Any], prefix_tokens: Tensor | None
    ) -> list[list[dict[str, Any]]]:
        models = models if isinstance(models, list) else [models]
        for m in models:
            m.eval()
        model = EnsembleModel(models)
        net_input = sample["net_input"]
        src_tokens = net_input["src_tokens"]
        bsz, src_len = src_tokens.shape
        beam, cfg = self.beam_size, self.cfg
        device = src_tokens.device
        max_len = int(cfg.max_len_a * src_len + cfg.max_len_b)
        limit = model.max_decoder_positions()
        if limit is not None:
            max_len = min(max_len, limit - 1)
        max_len = max(max_len, 1)
        # step 0 is the same for every beam of a sentence: it runs once per sentence, at
        # beam size 1, and the decoder state is then expanded to the beams
        model.set_beam_size(1)

        encoder_outs = model.encode(net_input)
        expand = torch.arange(bsz, device=device).repeat_interleave(beam)
        if prefix_tokens is not None:
            prefix_tokens = prefix_tokens.index_select(0, expand)

        tokens = torch.full((bsz * beam, max_len + 2), self.pad, dtype=torch.long, device=device)
        tokens[:, 0] = self.eos
        scores = torch.zeros(bsz * beam, max_len + 1, device=device)
        finalized: list[list[dict[str, Any]]] = [[] for _ in range(bsz)]
        sent_ids = torch.arange(bsz, device=device)  # original index of each current sentence
        banned_ngrams = cfg.no_repeat_ngram_size

        for step in range(max_len + 1):
            cur = sent_ids.numel()
            if step == 0:
                lprobs = model.log_probs(tokens[::beam, :1], encoder_outs, cfg.temperature)
                model.set_beam_size(beam)
                if beam > 1:
                    model.reorder_state(expand)
                    encoder_outs = model.reorder_encoder_out(encoder_outs, expand)
            else:
                lprobs = model.log_probs(tokens[:, : step + 1], encoder_outs, cfg.temperature)
            lprobs[:, self.pad] = -math.inf
            lprobs[:, self.unk] -= cfg.unkpen
            if step >= max_len:
                eos_col = lprobs[:, self.eos].clone()
                lprobs.fill_(-math.inf)
                lprobs[:, self.eos] = eos_col
            elif step < cfg.min_len:
                lprobs[:, self.eos] = -math.inf
            if prefix_tokens is not None and step < prefix_tokens.size(1):
                forced = prefix_tokens[:: beam if step == 0 else 1, step]
                lprobs = self._force_prefix(lprobs, forced)
            if banned_ngrams > 0 and step + 1 >= banned_ngrams:
                self._ban_repeats(lprobs, tokens[:, 1 : step + 1], banned_ngrams)

            if cfg.sampling:
                cand_scores, cand_indices, cand_beams = self._sample(lprobs, scores, step, cur)
            else:
                # step 0 has one row per sentence; later steps pick among beams x vocabulary
                flat = (
                    lprobs if step == 0 else lprobs.add_(scores[:, step - 1 : step]).view(cur, -1)
                )
                cand_scores, idx = topk(flat, min(2 * beam, flat.size(1)))
                cand_beams = torch.div(idx, self.vocab_size, rounding_mode="floor")
                cand_indices = idx % self.vocab_size
                missing = 2 * beam - cand_scores.size(1)
                if missing > 0:  # fewer candidates than beams: the rest are dead hypotheses
                    cand_scores = torch.cat(
                        [cand_scores, cand_scores.new_full((cur, missing), -math.inf)], 1
                    )
                    cand_indices = torch.cat(
                        [cand_indices, cand_indices.new_full((cur, missing), self.pad)], 1
                    )
                    cand_beams = torch.cat([cand_beams, cand_beams.new_zeros((cur, missing))], 1)
            num_cands = cand_scores.size(1)
            offsets = (torch.arange(cur, device=device) * beam).unsqueeze(1)
            cand_rows = cand_beams + offsets  # rows of the current batch

            # hypotheses that end now (eos among the top `beam` candidates)
            eos_mask = cand_indices.eq(self.eos) & cand_scores.ne(-math.inf)
            top_eos = eos_mask[:, :beam]
            done_now = torch.zeros(cur, dtype=torch.bool, device=device)
            if bool(top_eos.any()):
                done_now = self._finalize(
                    step,
                    top_eos,
                    cand_rows[:, :beam],
                    cand_scores[:, :beam],
                    tokens,
                    scores,
                    sent_ids,
                    finalized,
                )
            if step >= max_len:
                break
            keep = ~done_now
            if not bool(keep.any()):
                break
            # choose the `beam` best candidates that do not end, per remaining sentence
            rank = eos_mask.long() * num_cands + torch.arange(num_cands, device=device)
            order = rank.topk(beam, dim=1, largest=False).indices
            active_rows = cand_rows.gather(1, order)
            active_tokens = cand_indices.gather(1, order)
            active_scores = cand_scores.gather(1, order)
            shrink = not bool(keep.all())
            if shrink:
                active_rows, active_tokens, active_scores = (
                    active_rows[keep],
                    active_tokens[keep],
                    active_scores[keep],
                )
                sent_ids = sent_ids[keep]
                if prefix_tokens is not None:
                    prefix_tokens = prefix_tokens.view(cur, beam, -1)[keep].view(
                        -1, prefix_tokens.size(1)
                    )
            new_order = active_rows.view(-1)
            tokens = tokens.index_select(0, new_order)
            tokens[:, step + 1] = active_tokens.view(-1)
            scores = scores.index_select(0, new_order)
            scores[:, step] = active_scores.view(-1)
            model.reorder_state(new_order)
            if shrink:  # beams of one sentence share its encoder output: reorder on shrink only
                encoder_outs = model.reorder_encoder_out(encoder_outs, new_order)

        for hyps in finalized:
            hyps.sort(key=lambda h: h["score"], reverse=True)
            del hyps[cfg.nbest :]
        return finalized

    def _finalize(
        self,
        step: int,
        top_eos: Tensor,
        rows: Tensor,
        cand_scores: Tensor,
        tokens: Tensor,
        scores: Tensor,
        sent_ids: Tensor,
        finalized: list[list[dict[str, Any]]],
    ) -> Tensor:
        """Record the hypotheses ending at ``step``; return which sentences are complete."""
        beam, cfg = self.beam_size, self.cfg
        sent_idx, cand_idx = top_eos.nonzero(as_tuple=True)
        chosen_rows = rows[sent_idx, cand_idx]
        final_scores = cand_scores[sent_idx, cand_idx]
        hyp_tokens = tokens.index_select(0, chosen_rows)[:, 1 : step + 2].clone()
        hyp_tokens[:, step] = self.eos
        cum = scores.index_select(0, chosen_rows)[:, : step + 1].clone()
        cum[:, step] = final_scores
        positional = cum.clone()
        positional[:, 1:] = cum[:, 1:] - cum[:, :-1]
        if not cfg.unnormalized:
            final_scores = final_scores / (step + 1) ** cfg.lenpen
        done = torch.zeros(top_eos.size(0), dtype=torch.bool)
        for k, (s, score) in enumerate(zip(sent_idx.tolist(), final_scores.tolist())):
            bucket = finalized[int(sent_ids[s])]
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

    def _force_prefix(self, lprobs: Tensor, prefix: Tensor) -> Tensor:
        forced = prefix.ne(self.pad)
        if bool(forced.any()):
            keep = lprobs.gather(1, prefix.unsqueeze(1))
            lprobs[forced] = -math.inf
            lprobs[forced] = lprobs[forced].scatter(1, prefix[forced].unsqueeze(1), keep[forced])
        return lprobs

    def _ban_repeats(self, lprobs: Tensor, generated: Tensor, n: int) -> None:
        """Forbid tokens that would complete an n-gram already in the hypothesis."""
        if generated.size(1) < n:
            return
        tail = generated[:, generated.size(1) - (n - 1) :] if n > 1 else generated[:, :0]
        grams = generated.unfold(1, n, 1)  # rows x count x n
        match = (grams[:, :, : n - 1] == tail.unsqueeze(1)).all(-1)  # rows x count
        rows, idx = match.nonzero(as_tuple=True)
        if rows.numel():
            lprobs[rows, grams[rows, idx, n - 1]] = -math.inf

    def _sample(
        self, lprobs: Tensor, scores: Tensor, step: int, cur: int
    ) -> tuple[Tensor, Tensor, Tensor]:
        """One sampled token per beam (top-k / top-p filtered); beams stay separate.

        At step 0 ``lprobs`` has one row per sentence.
        """
        beam, cfg = self.beam_size, self.cfg
        probs = lprobs.exp()
        if cfg.sampling_topk > 0:
            kth = probs.topk(min(cfg.sampling_topk, probs.size(1)), dim=1).values[:, -1:]
            probs = probs.masked_fill(probs < kth, 0.0)
        if 0 < cfg.sampling_topp < 1:
            sorted_p, sorted_i = probs.sort(dim=1, descending=True)
            cum = sorted_p.cumsum(1)
            remove = cum - sorted_p > cfg.sampling_topp
            sorted_p = sorted_p.masked_fill(remove, 0.0)
            probs = torch.zeros_like(probs).scatter(1, sorted_i, sorted_p)
        if step == 0:  # one row per sentence: one draw per beam from it
            probs = probs.repeat_interleave(beam, dim=0)
            lprobs = lprobs.repeat_interleave(beam, dim=0)
        drawn = torch.multinomial(probs, 1)  # (cur*beam, 1)
        token_scores = lprobs.gather(1, drawn)
        if step > 0:
            token_scores = token_scores + scores[:, step - 1 : step]
        cand_scores = token_scores.view(cur, beam)
        cand_indices = drawn.view(cur, beam)
        cand_beams = torch.arange(beam, device=lprobs.device).repeat(cur, 1)
        # pad to 2*beam candidates so that the beam bookkeeping stays the same
        filler = torch.full_like(cand_scores, -math.inf)
        return (
            torch.cat([cand_scores, filler], 1),
            torch.cat([cand_indices, torch.full_like(cand_indices, self.pad)], 1),
            torch.cat([cand_beams, cand_beams], 1),
        )
