"""``Decoder`` and ``IncrementalDecoder``: target prefixes to next-token scores."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from seqx.models.incremental_state import IncrementalState, reorder_caches


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

    With ``incremental_state`` (an :class:`IncrementalState` the caller owns, or
    a plain dict) ``forward`` receives the whole prefix but computes only its
    last position, reading and updating the caches. Beam search reorders the
    caches with :meth:`reorder_incremental_state`.
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

    def reorder_incremental_state(
        self, incremental_state: IncrementalState | dict[str, Any], new_order: Tensor
    ) -> None:
        """Select rows ``new_order`` of every cache, in place (fairseq's method).

        ``new_order`` may also hold more rows than the caches: beam search
        computes its first step once per sentence, then expands each
        sentence's row to its beams (``new_order = [0]*beam + [1]*beam + ...``).

        The default reorders the caches by their kind (per sentence or per
        hypothesis, batch first), with one row per sentence in a plain dict
        (:func:`~seqx.models.incremental_state.reorder_caches`). A decoder
        caching other layouts overrides this.
        """
        if isinstance(incremental_state, IncrementalState):
            incremental_state.reorder(new_order)
        else:
            reorder_caches(incremental_state, new_order)
