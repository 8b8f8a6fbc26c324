"""SIGINT and SIGTERM during training: stop at the next update boundary, after saving.

A preempted job (SLURM and Kubernetes send SIGTERM) or a Ctrl-C loses at most
the update in progress: the training loop checks :attr:`StopRequest.signal`
after each update, writes ``checkpoint_last.pt`` and ends. A second signal
of the same kind interrupts at once, when it comes at least :data:`ECHO_SECONDS`
after the first: a signal sent to a process group may reach a process twice
(directly, and passed on by a launcher such as torchrun), which is one request, not two.

``seqx train --nproc-per-node`` passes a signal on to its ranks as :data:`FORWARDED`'s
stand-in (SIGUSR1 for SIGTERM, SIGUSR2 for SIGINT), which asks a rank to stop but never
interrupts it: a rank that got the signal from its process group too, however late the
launcher's copy comes (a loaded machine delays it by seconds), takes both as one request.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from types import FrameType
from typing import Any

from seqx.errors import SeqxError

SIGNALS = (signal.SIGINT, signal.SIGTERM)
ECHO_SECONDS = 1.0
"""A repeat of the signal within this time is the same request."""

FORWARDED = {signal.SIGUSR1: signal.SIGTERM, signal.SIGUSR2: signal.SIGINT}
"""The launcher's stand-in for each signal it passes on to its ranks."""

STAND_IN = {real: stand_in for stand_in, real in FORWARDED.items()}
"""The stand-in the launcher sends for each signal."""

LAUNCHED_RANK = "SEQX_LAUNCHED_RANK"
"""Set in the environment of the ranks ``seqx train --nproc-per-node`` starts."""


def _act_as_forwarded(signum: int, frame: FrameType | None) -> None:
    real = FORWARDED[signal.Signals(signum)]
    signal.signal(real, signal.SIG_DFL)
    signal.raise_signal(real)


def handle_forwarded_signals() -> None:
    """In a launched rank, before training starts: the launcher's stand-ins act as the
    signals they stand for (the rank ends as that signal ends a process)."""
    for stand_in in FORWARDED:
        signal.signal(stand_in, _act_as_forwarded)


class TrainingInterrupted(SeqxError):
    """Training ended early on a signal, after saving where it was."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.exit_code = 128 + signum


class StopRequest:
    """A context manager that records SIGINT/SIGTERM instead of dying on them."""

    def __init__(self) -> None:
        self.signal: int | None = None
        self._since = 0.0
        self._previous: dict[int, Any] = {}

    @property
    def name(self) -> str:
        return signal.Signals(self.signal).name if self.signal else ""

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signal == signum:
            if time.monotonic() - self._since < ECHO_SECONDS:
                return  # the same request, delivered twice
            previous = self._previous.get(signum, signal.SIG_DFL)
            signal.signal(signum, previous)
            signal.raise_signal(signum)
            return
        self.signal = signum
        self._since = time.monotonic()

    def _handle_forwarded(self, signum: int, frame: FrameType | None) -> None:
        if self.signal is None:
            self.signal = FORWARDED[signal.Signals(signum)]
            self._since = time.monotonic()

    def __enter__(self) -> StopRequest:
        if threading.current_thread() is threading.main_thread():
            for signum in SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
            for stand_in in FORWARDED:
                self._previous[stand_in] = signal.signal(stand_in, self._handle_forwarded)
        return self

    def __exit__(self, *exc: object) -> None:
        launched = bool(os.environ.get(LAUNCHED_RANK))
        for signum, previous in self._previous.items():
            if launched and signum in FORWARDED:
                # the run is over: a late stand-in changes nothing (ignored, not a handler,
                # so it stays ignored while the interpreter shuts down)
                previous = signal.SIG_IGN
            signal.signal(signum, previous)
        self._previous.clear()
