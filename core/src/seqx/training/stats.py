"""Summing logging outputs over an interval or an epoch, and fairseq's derived stats."""

from __future__ import annotations

import time
from typing import Any

import torch


class StatsAccumulator:
    """Sums of the numeric fields of logging outputs (tensors stay on device until read)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start a new interval."""
        self.sums: dict[str, Any] = {}
        self.updates = 0
        self.gnorm_sum = 0.0
        self.clipped = 0
        self.train_wall = 0.0
        self.start = time.perf_counter()

    def add(self, logs: list[dict[str, Any]]) -> None:
        """Add the logging outputs of one update."""
        for log in logs:
            for key, value in log.items():
                if isinstance(value, (int, float, torch.Tensor)):
                    self.sums[key] = self.sums.get(key, 0) + value

    def state_dict(self) -> dict[str, Any]:
        """The running sums and the time they took, as plain data (for checkpoints)."""
        return {
            "elapsed": time.perf_counter() - self.start,
            "sums": self.plain(),
            "updates": self.updates,
            "gnorm_sum": self.gnorm_sum,
            "clipped": self.clipped,
            "train_wall": self.train_wall,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue the sums of :meth:`state_dict`, and their clock: rates such as wps
        count the time before the save too, as they count its tokens (without a recorded
        time, that of the training steps stands in for it)."""
        self.reset()
        self.start -= float(state.get("elapsed", state["train_wall"]))
        self.sums = dict(state["sums"])
        self.updates = int(state["updates"])
        self.gnorm_sum = float(state["gnorm_sum"])
        self.clipped = int(state["clipped"])
        self.train_wall = float(state["train_wall"])

    def plain(self) -> dict[str, float]:
        """The sums as floats (one device sync)."""
        return {
            k: float(v.item() if isinstance(v, torch.Tensor) else v) for k, v in self.sums.items()
        }

    def throughput(
        self, lr: float, num_updates: int, wall: float, sums: dict[str, float] | None = None
    ) -> dict[str, float]:
        """wps, ups, wpb, bsz, num_updates, lr, gnorm, clip, train_wall, wall (from
        ``sums`` when given: the sums over every rank)."""
        sums = self.plain() if sums is None else sums
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        updates = max(self.updates, 1)
        return {
            "wps": sums.get("ntokens", 0.0) / elapsed,
            "ups": self.updates / elapsed,
            "wpb": sums.get("ntokens", 0.0) / updates,
            "bsz": sums.get("nsentences", 0.0) / updates,
            "num_updates": num_updates,
            "lr": lr,
            "gnorm": self.gnorm_sum / updates,
            "clip": 100.0 * self.clipped / updates,
            "train_wall": self.train_wall,
            "wall": wall,
        }
