"""Log lines in fairseq's formats, and a progress bar on a terminal.

``simple``: ``epoch 001:    100 / 1131 loss=5.12, ...``; ``json``: one JSON
object per line; ``tqdm``: a progress bar with the latest stats; ``none``.
Every stats dict also goes to the ``seqx_log`` hook.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

ROUND = {
    "loss": 3,
    "nll_loss": 3,
    "ppl": 2,
    "wps": 0,
    "ups": 2,
    "wpb": 1,
    "bsz": 1,
    "lr": 8,
    "gnorm": 3,
    "clip": 1,
    "train_wall": 0,
    "wall": 0,
    "accuracy": 2,
    "bleu": 2,
}


def format_stat(key: str, value: Any) -> str:
    """A stat as fairseq prints it."""
    if isinstance(value, float):
        digits = ROUND.get(key, 3)
        if key == "lr":
            return f"{value:.4g}"
        return f"{value:.{digits}f}" if digits else str(round(value))
    return str(value)


def default_format(log_format: str | None, stream: TextIO) -> str:
    """``tqdm`` on a terminal, ``simple`` otherwise (unless chosen)."""
    if log_format is not None:
        return log_format
    return "tqdm" if stream.isatty() else "simple"


class Progress:
    """Wraps an epoch's iterator and prints stats in the chosen format."""

    def __init__(
        self,
        iterable: Iterable[Any],
        *,
        epoch: int | None,
        total: int | None,
        log_format: str,
        log_interval: int = 100,
        prefix: str = "",
        emit: Callable[[dict[str, Any], str, int | None], None] | None = None,
        stream: TextIO | None = None,
        log_file: TextIO | None = None,
        enabled: bool = True,
    ) -> None:
        self.iterable = iterable
        self.epoch = epoch
        self.total = total
        self.log_format = log_format
        self.log_interval = log_interval
        self.prefix = prefix or (f"epoch {epoch:03d}" if epoch is not None else "")
        self.emit = emit
        self.stream = stream or sys.stderr
        self.log_file = log_file
        self.enabled = enabled
        self._bar: Any = None
        self.n = 0

    def __iter__(self) -> Iterator[Any]:
        if self.enabled and self.log_format == "tqdm":
            from tqdm import tqdm

            self._bar = tqdm(
                self.iterable,
                total=self.total,
                desc=self.prefix,
                leave=False,
                file=self.stream,
                dynamic_ncols=True,
            )
            yield from self._bar
            self._bar.close()
        else:
            yield from self.iterable

    def _write(self, line: str) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        elif self.log_format != "none":
            print(line, file=self.stream, flush=True)
        if self.log_file is not None:
            print(line, file=self.log_file, flush=True)

    def log(self, stats: dict[str, Any], tag: str, step: int | None, position: int) -> None:
        """A mid-epoch line (``train_inner``)."""
        if self.emit is not None:
            self.emit(stats, tag, step)
        if self._bar is not None:
            self._bar.set_postfix({k: format_stat(k, v) for k, v in stats.items()}, refresh=False)
            if self.log_file is None:
                return
        if self.log_format == "json":
            self._write(json.dumps({"epoch": self.epoch, "update": position, **_plain(stats)}))
        else:
            body = ", ".join(f"{k}={format_stat(k, v)}" for k, v in stats.items())
            width = len(str(self.total or 0))
            self._write(f"{self.prefix}: {position:>{width}} / {self.total} {body}")

    def print(self, stats: dict[str, Any], tag: str, step: int | None) -> None:
        """An end-of-epoch or validation line."""
        if self.emit is not None:
            self.emit(stats, tag, step)
        if self.log_format == "json":
            self._write(json.dumps({"tag": tag, "epoch": self.epoch, **_plain(stats)}))
        else:
            body = " | ".join(f"{k} {format_stat(k, v)}" for k, v in stats.items())
            self._write(f"{self.prefix} | {body}")


def _plain(stats: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (round(v, ROUND.get(k, 3) + 2) if isinstance(v, float) else v) for k, v in stats.items()
    }
