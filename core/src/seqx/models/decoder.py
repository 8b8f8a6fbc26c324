"""``Decoder`` and ``IncrementalDecoder``: target prefixes to next-token scores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor, nn

from seqx.models.encoder import check_new_order, reorder_batch


def autocast_dtype(device_type: str) -> torch.dtype | None:
    """The dtype autocast computes in on ``device_type`` now (None when it is off).

    A cache built once per search in that dtype spares the cast that every autocast
    matrix multiply would otherwise make of it at every step (autocast's own cast cache
    keeps only leaf parameters).
    """
    if torch.is_autocast_enabled(device_type):
        return torch.get_autocast_dtype(device_type)
    return None


IncrementalState = dict[str, dict[str, Tensor | None]]
"""Per-module caches of an incremental decoder, keyed by a module's own key."""


def _cached_rows(state: IncrementalState, wanted: Callable[[str], bool]) -> int | None:
    """The rows (dimension 0) of the first tensor cached under a key that is ``wanted``."""
    for key, cache in state.items():
        if wanted(key):
            for value in cache.values():
                if value is not None:
                    return value.size(0)
    return None


class Decoder(nn.Module):
    """Base class of decoders (fairseq's ``FairseqDecoder``)."""

    def __init__(self, dictionary: Any) -> None:
        super().__init__()
        self.dictionary = dictionary
        self.onnx_trace = False
        self.adaptive_softmax: Any = None

    def forward(
        self,
        prev_output_tokens: Tensor,
        encoder_out: Any = None,
        *,
        features_only: bool = False,
        **kwargs: Any,
    ) -> tuple[Tensor, dict[str, Any]]:
        """Scores (B x T x V) for every position of ``prev_output_tokens``, and extras
        (the hidden states instead of scores with ``features_only``)."""
        x, extra = self.extract_features(prev_output_tokens, encoder_out=encoder_out, **kwargs)
        if features_only or self.adaptive_softmax is not None:
            return x, extra
        return self.output_layer(x), extra

    def extract_features(
        self, prev_output_tokens: Tensor, encoder_out: Any = None, **kwargs: Any
    ) -> tuple[Tensor, dict[str, Any]]:
        """Hidden states before the output projection."""
        raise NotImplementedError

    def output_layer(self, features: Tensor, **kwargs: Any) -> Tensor:
        """Project hidden states to vocabulary scores."""
        raise NotImplementedError

    def get_normalized_probs(
        self, net_output: tuple[Tensor, Any], log_probs: bool, sample: Any = None
    ) -> Tensor:
        """(Log-)probabilities from ``net_output``'s scores, computed in float32 (through the
        adaptive softmax when the decoder has one: its output is then hidden states)."""
        if self.adaptive_softmax is not None:
            lprobs = self.adaptive_softmax.get_log_prob(net_output[0])
            return lprobs if log_probs else lprobs.exp()
        logits = net_output[0]
        if log_probs:
            return torch.log_softmax(logits, dim=-1, dtype=torch.float32)
        return torch.softmax(logits, dim=-1, dtype=torch.float32)

    def max_positions(self) -> int | None:
        """The longest target the decoder accepts (None: no limit)."""
        return None

    def upgrade_state_dict_named(self, state_dict: dict[str, Tensor], name: str) -> None:
        """Migrate ``state_dict`` entries under ``name`` saved by an older version."""

    def set_num_updates(self, num_updates: int) -> None:
        """Told the number of updates so far."""


class IncrementalDecoder(Decoder):
    """A decoder that decodes one step at a time, caching what earlier steps computed.

    With ``incremental_state`` (a dict the caller owns) ``forward`` receives
    the whole prefix but computes only its last position, reading and
    updating the caches. Beam search reorders the caches with
    :meth:`reorder_incremental_state`.
    """

    def forward(
        self,
        prev_output_tokens: Tensor,
        encoder_out: Any = None,
        incremental_state: IncrementalState | None = None,
        *,
        features_only: bool = False,
        **kwargs: Any,
    ) -> tuple[Tensor, dict[str, Any]]:
        """``Decoder.forward`` with the cache as the third positional argument (fairseq's)."""
        return super().forward(
            prev_output_tokens,
            encoder_out,
            features_only=features_only,
            incremental_state=incremental_state,
            **kwargs,
        )

    beam_size: int = 1

    def static_cache_keys(self) -> set[str]:
        """Keys of caches that depend only on the source sentence (e.g. cross-attention
        keys and values); they need no reordering among a sentence's own beams."""
        return set()

    def sentence_cache_keys(self) -> set[str]:
        """Keys of static caches kept once per sentence rather than once per beam (their
        tensors have batch / beam_size rows), e.g. cross-attention keys and values computed
        from one copy of the encoder output; they are reordered by sentence. They count as
        static: no need to list them in :meth:`static_cache_keys` too."""
        return set()

    def reorder_incremental_state(
        self, incremental_state: IncrementalState, new_order: Tensor
    ) -> None:
        """Select batch rows ``new_order`` of every cache, in place.

        ``new_order`` may also hold more rows than the caches: beam search
        computes its first step once per sentence (at beam size 1), then
        sets the beam size and expands each sentence's row to its beams
        with ``new_order = [0]*beam + [1]*beam + ...``.

        The default reorders every cached tensor along dimension 0 (batch
        first), skipping static caches when every row stays among the beams
        of its own sentence; caches kept once per sentence
        (:meth:`sentence_cache_keys`) follow the sentences. A decoder caching
        other layouts overrides this.
        """
        per_sentence = self.sentence_cache_keys()
        rows = _cached_rows(incremental_state, lambda key: key not in per_sentence)
        if rows is None:
            return
        check_new_order(new_order, rows, "reorder_incremental_state")
        static = self.static_cache_keys() | per_sentence
        beam = self.beam_size
        skip_static = False
        if static and new_order.numel() == rows:
            group = torch.arange(new_order.numel(), device=new_order.device) // beam
            skip_static = bool(torch.equal(new_order // beam, group))
        sentence_order = None
        if per_sentence and not skip_static:
            self.beam_group(new_order.numel())  # the new rows must be whole sentences too
            sentence_rows = _cached_rows(incremental_state, lambda key: key in per_sentence) or rows
            # rows per sentence before this reordering: the beam size, or 1 when expanding
            sentence_order = new_order[::beam] // max(1, rows // sentence_rows)
        for key, cache in incremental_state.items():
            if skip_static and key in static:
                continue
            order = new_order
            if key in per_sentence:
                assert sentence_order is not None  # set whenever static caches are reordered
                order = sentence_order
            for name, value in cache.items():
                if value is not None:
                    cache[name] = reorder_batch(value, order)

    def beam_group(self, rows: int) -> int:
        """How many consecutive rows of an incremental step are the beams of one sentence
        (1 outside beam search); an error when ``rows`` is not whole sentences."""
        if rows % self.beam_size:
            raise ValueError(
                f"{rows} rows are not whole sentences of {self.beam_size} beams: rows "
                "i*beam .. (i+1)*beam-1 must be one sentence's beams (set_beam_size)"
            )
        return self.beam_size

    def set_beam_size(self, beam_size: int) -> None:
        """Told the beam size before a search: rows ``i*beam .. (i+1)*beam-1`` are one sentence."""
        self.beam_size = max(1, beam_size)
