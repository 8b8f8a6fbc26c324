"""Decoding state: caches that reorder and expand themselves under beam search.

An incremental decoder keeps what earlier steps computed in an
:class:`IncrementalState`, a dict from a module's own key to its cache. Beam
search reorders the state after every step (``new_order``: for each new row, the
row it continues) and, after computing the first step once per sentence, expands
it to the beams. Two kinds of cache know how to follow:

- a :class:`BeamCache` holds one row per hypothesis (self-attention keys and
  values, recurrent states): its tensors select the rows of ``new_order``;
- a :class:`SentenceCache` holds one row per sentence, whatever the beam size
  (what depends only on the source: the encoder output, cross-attention keys and
  values): it follows only the sentences that remain, and the beams of a sentence
  attend to it together (:attr:`IncrementalState.group` rows per sentence).

Any other value a decoder stores (a plain dict of batch-first tensors, as fairseq's
``utils.set_incremental_state`` does) is reordered like a :class:`BeamCache`.
A decoder whose caches are laid out otherwise overrides
``reorder_incremental_state``.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import torch
from torch import Tensor

from seqx.devices import autocast_dtype


def reorder_batch(value: Any, new_order: Tensor, dim: int = 0) -> Any:
    """``index_select`` every tensor in a nested dict/list/tuple along ``dim``."""
    if isinstance(value, Tensor):
        return value.index_select(dim, new_order)
    if isinstance(value, dict):
        return type(value)({k: reorder_batch(v, new_order, dim) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(reorder_batch(v, new_order, dim) for v in value)
    return value


def check_new_order(new_order: Tensor, batch_size: int, what: str) -> None:
    """Reject a reordering index that does not fit a batch of ``batch_size``."""
    if new_order.dim() != 1:
        raise ValueError(f"{what}: new_order must be 1-D, got shape {tuple(new_order.shape)}")
    if new_order.numel() and (int(new_order.min()) < 0 or int(new_order.max()) >= batch_size):
        raise IndexError(
            f"{what}: new_order holds indices in [{int(new_order.min())}, "
            f"{int(new_order.max())}] but the batch has {batch_size} rows"
        )


def tensor_rows(value: Any) -> int | None:
    """The rows (dimension 0) of the first tensor in a nested value."""
    if isinstance(value, Tensor):
        return value.size(0)
    items = value.values() if isinstance(value, dict) else value
    if isinstance(items, (list, tuple)) or isinstance(value, dict):
        for item in items:
            rows = tensor_rows(item)
            if rows is not None:
                return rows
    return None


class BeamCache(dict[str, Any]):
    """Batch-first tensors with one row per hypothesis (reordered like any other value)."""


class SentenceCache(dict[str, Any]):
    """Batch-first tensors with one row per sentence, shared by its beams."""

    def reorder(self, sentence_order: Tensor, in_place: bool) -> None:
        """Select sentences ``sentence_order``; nothing to do when ``in_place`` (each kept
        sentence is where it was) and no sentence is dropped."""
        if in_place and tensor_rows(self) == sentence_order.numel():
            return
        for name, value in self.items():
            self[name] = reorder_batch(value, sentence_order)


class IncrementalState(dict[str, Any]):
    """The caches of one decoder during one search, by module key.

    ``beam_size`` is the number of rows per sentence once the search has expanded
    to its beams; :attr:`group` is the number now (1 before that first expansion).
    Rows ``i*group .. (i+1)*group-1`` are always the hypotheses of one sentence.
    """

    def __init__(self, beam_size: int = 1, group: int = 1) -> None:
        """A state for a search of ``beam_size`` beams, whose first step has ``group`` rows
        per sentence (1: computed once per sentence, then expanded)."""
        super().__init__()
        if beam_size < 1 or group < 1:
            raise ValueError(f"beam_size and group must be at least 1: {beam_size}, {group}")
        self.beam_size = beam_size
        self.group = group
        """Rows per sentence now."""

    def reorder(self, new_order: Tensor) -> None:
        """Reorder every cache to rows ``new_order``, in place.

        ``new_order`` is as long as the current rows (hypotheses reordered, finished
        sentences dropped), or ``beam_size`` times the sentences when the state first
        expands from one row per sentence to the beams.
        """
        new_group = self.beam_size
        if new_order.numel() % new_group:
            raise ValueError(
                f"reorder_incremental_state: {new_order.numel()} rows are not whole "
                f"sentences of {new_group} beams"
            )
        reorder_caches(self, new_order, self.group, new_group)
        self.group = new_group


State = MutableMapping[str, Any]
"""An :class:`IncrementalState`, or a plain dict (fairseq's; one row per sentence)."""


def _group(state: State) -> int:
    return state.group if isinstance(state, IncrementalState) else 1


def reorder_caches(state: State, new_order: Tensor, group: int = 1, new_group: int = 1) -> None:
    """Reorder every cache of ``state`` to rows ``new_order``, in place: per-sentence caches
    follow the sentences (``group`` rows per sentence before, ``new_group`` after), every
    other value its rows. A plain dict is reordered with one row per sentence."""
    rows = next(
        (r for v in state.values() if not isinstance(v, SentenceCache) and (r := tensor_rows(v))),
        None,
    )
    if rows is not None:
        check_new_order(new_order, rows, "reorder_incremental_state")
    sentence_order = new_order[::new_group] // group
    in_place: bool | None = None  # found once, for the first per-sentence cache
    for key, cache in state.items():
        if isinstance(cache, SentenceCache):
            if in_place is None:
                kept = torch.arange(sentence_order.numel(), device=new_order.device)
                in_place = torch.equal(sentence_order, kept)
            cache.reorder(sentence_order, in_place)
        else:
            state[key] = reorder_batch(cache, new_order)


def sentence_group(state: State, rows: int) -> int:
    """Rows per sentence of a step of ``rows`` rows (1 for a plain dict); an error when
    they are not whole sentences."""
    group = _group(state)
    if rows % group:
        raise ValueError(
            f"{rows} rows are not whole sentences of {group} hypotheses: rows "
            "i*group .. (i+1)*group-1 must be one sentence's"
        )
    return group


def sentence_cache(
    state: State, key: str, make: Callable[[int], dict[str, Tensor | None]]
) -> SentenceCache:
    """The per-sentence cache under ``key``, made on first use by ``make(group)`` (which
    keeps one row per sentence, e.g. ``tensor[::group]``)."""
    cache = state.get(key)
    if not isinstance(cache, SentenceCache):
        cache = SentenceCache(make(_group(state)))
        state[key] = cache
    return cache


def encoder_cache(state: State, key: str, tensors: dict[str, Tensor | None]) -> SentenceCache:
    """``tensors`` (one row per decoder row, e.g. the encoder output expanded to the beams)
    kept once per sentence under ``key``, their floating-point ones cast once to the dtype
    autocast computes in (rather than by every step's products)."""

    def make(group: int) -> dict[str, Tensor | None]:
        out: dict[str, Tensor | None] = {}
        for name, t in tensors.items():
            if t is not None:
                t = t[::group].contiguous()
                dtype = autocast_dtype(t.device.type)
                if dtype is not None and t.is_floating_point():
                    t = t.to(dtype)
            out[name] = t
        return out

    return sentence_cache(state, key, make)
