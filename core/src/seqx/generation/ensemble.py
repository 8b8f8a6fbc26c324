"""``EnsembleModel``: the models a search decodes with, stepped together.

Log-probabilities of several models are averaged in probability space. An
incremental decoder computes only the newest position from its cached
:class:`~seqx.models.incremental_state.IncrementalState`; a plain ``Decoder`` (no
cache) scores the whole prefix at every step and keeps the last position: slower,
but any decoder decodes.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from seqx.models.base_model import BaseModel, EncoderDecoderModel
from seqx.models.decoder import Decoder, IncrementalDecoder
from seqx.models.incremental_state import IncrementalState


def plain_softmax(model: BaseModel) -> bool:
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
    """Several models decoded together by one search of ``beam_size`` beams.

    A single model with a plain softmax writes its log-probabilities into a buffer kept for
    the whole search: a fresh (beams x vocabulary) float32 tensor at every step costs more in
    page faults than the softmax itself.
    """

    def __init__(self, models: list[EncoderDecoderModel], beam_size: int) -> None:
        self.models = models
        self.states: list[IncrementalState | None] = [
            IncrementalState(beam_size) if isinstance(m.decoder, IncrementalDecoder) else None
            for m in models
        ]
        self.buffered = len(models) == 1 and plain_softmax(models[0])
        self._buffer: Tensor | None = None

    def _log_softmax_into_buffer(self, logits: Tensor) -> Tensor:
        rows, vocab = logits.shape
        if self._buffer is None or self._buffer.size(0) < rows:
            self._buffer = torch.empty(rows, vocab, device=logits.device)
        scores = self._buffer[:rows]
        return torch.log_softmax(scores.copy_(logits), dim=-1, out=scores)  # in place

    def max_decoder_positions(self) -> int | None:
        limits = [x for m in self.models if (x := m.max_decoder_positions()) is not None]
        return min(limits) if limits else None

    def encode(self, net_input: dict[str, Tensor]) -> list[Any]:
        return [
            m.encoder(net_input["src_tokens"], src_lengths=net_input["src_lengths"])
            for m in self.models
        ]

    def reorder_encoder_out(self, outs: list[Any], new_order: Tensor) -> list[Any]:
        return [m.encoder.reorder_encoder_out(o, new_order) for m, o in zip(self.models, outs)]

    def reorder_state(self, new_order: Tensor) -> None:
        """Reorder (or expand) every incremental decoder's state to rows ``new_order``."""
        for m, state in zip(self.models, self.states):
            if state is not None and isinstance(m.decoder, IncrementalDecoder):
                m.decoder.reorder_incremental_state(state, new_order)

    def _scores(
        self, model: EncoderDecoderModel, state: IncrementalState | None, tokens: Tensor, enc: Any
    ) -> Any:
        if state is None:
            logits, extra = model.decoder(tokens, encoder_out=enc)
        else:
            logits, extra = model.decoder(tokens, encoder_out=enc, incremental_state=state)
        return logits[:, -1:, :], extra

    def log_probs(self, tokens: Tensor, encoder_outs: list[Any], temperature: float) -> Tensor:
        """The next token's log-probabilities after each row of ``tokens``."""
        out = None
        for m, enc, state in zip(self.models, encoder_outs, self.states):
            logits, extra = self._scores(m, state, tokens, enc)
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
