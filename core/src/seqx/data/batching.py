"""Forming batches by size, and filtering examples too long for the model.

Batches are formed greedily over indices sorted by length, as fairseq does:
a batch grows while ``longest example x number of examples`` stays within
``max_tokens`` and the count within ``max_sentences``. The work is a loop
over batches, each found with numpy over a window of candidates, not a
Python loop over sentences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from seqx.errors import SeqxError


def ordered_by_size(count: int, shuffle: bool, *sizes: np.ndarray) -> np.ndarray:
    """Indices ``0..count-1``, shuffled (numpy's global RNG: see ``numpy_seed``) when
    ``shuffle``, then stably sorted by each of ``sizes`` in turn (the last one primary)."""
    if shuffle:
        indices = np.random.permutation(count).astype(np.int64)
    else:
        indices = np.arange(count, dtype=np.int64)
    for key in sizes:
        indices = indices[np.argsort(key[indices], kind="mergesort")]
    return indices


def batch_by_size(
    indices: np.ndarray,
    num_tokens: np.ndarray,
    max_tokens: int | None = None,
    max_sentences: int | None = None,
    required_batch_size_multiple: int = 1,
) -> list[np.ndarray]:
    """Split ``indices`` (in order) into batches; ``num_tokens[i]`` sizes ``indices[i]``."""
    indices = np.asarray(indices, dtype=np.int64)
    sizes = np.asarray(num_tokens, dtype=np.int64)
    n = len(indices)
    if n == 0:
        return []
    if max_tokens is None and max_sentences is None:
        raise SeqxError("give --max-tokens or --batch-size to form batches")
    max_tokens = max_tokens if max_tokens is not None and max_tokens > 0 else None
    cap = max_sentences if max_sentences is not None and max_sentences > 0 else n
    if max_tokens is not None:
        too_long = np.flatnonzero(sizes > max_tokens)
        if len(too_long):
            i = int(too_long[0])
            raise SeqxError(
                f"example {int(indices[i])} has {int(sizes[i])} tokens, more than "
                f"--max-tokens {max_tokens}; raise --max-tokens or filter long examples "
                "(--skip-invalid-size-inputs-valid-test, --max-source-positions)"
            )
        cap = min(cap, max_tokens)
    mult = max(1, required_batch_size_multiple)
    batches = []
    start = 0
    while start < n:
        window = sizes[start : start + cap]
        if max_tokens is not None:
            cost = np.maximum.accumulate(window) * np.arange(1, len(window) + 1)
            over = np.flatnonzero(cost > max_tokens)
            length = int(over[0]) if len(over) else len(window)
        else:
            length = len(window)
        full = start + length < n
        if full and length > mult:
            length = max(mult * (length // mult), length % mult)
        batches.append(indices[start : start + length])
        start += length
    return batches


def filter_by_size(
    indices: np.ndarray,
    sizes: np.ndarray,
    max_positions: tuple[int | None, ...],
    *,
    skip: bool,
    describe: Callable[[int], str] | None = None,
    flag: str = "--skip-invalid-size-inputs-valid-test",
) -> tuple[np.ndarray, np.ndarray]:
    """Drop (``skip``) or reject the examples longer than ``max_positions``.

    ``sizes`` has one column per limit (source, target). Returns the kept
    indices and the ignored ones; without ``skip`` an ignored example is an
    error naming it and the flags.
    """
    sizes = np.asarray(sizes)
    if sizes.ndim == 1:
        sizes = sizes[:, None]
    ok = np.ones(len(indices), dtype=bool)
    for col, limit in enumerate(max_positions):
        if limit is not None and col < sizes.shape[1]:
            ok &= sizes[indices, col] <= limit
    ignored = indices[~ok]
    if len(ignored) and not skip:
        i = int(ignored[0])
        what = describe(i) if describe else f"example {i}"
        raise SeqxError(
            f"{what} has size {tuple(int(s) for s in sizes[i])}, more than the model's "
            f"max positions {max_positions} ({len(ignored)} such examples); pass {flag} "
            "to skip them, or raise --max-source-positions/--max-target-positions"
        )
    return indices[ok], ignored
