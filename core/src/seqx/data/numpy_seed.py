"""``numpy_seed``: run a block with numpy's global RNG seeded, then restore it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


@contextmanager
def numpy_seed(seed: int | None, *addl_seeds: int) -> Iterator[None]:
    """Seed ``np.random`` with ``seed`` (mixed with ``addl_seeds``) inside the block."""
    if seed is None:
        yield
        return
    if addl_seeds:
        seed = int(hash((seed, *addl_seeds)) % 1e6)
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)
