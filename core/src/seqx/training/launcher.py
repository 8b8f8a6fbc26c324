"""``seqx train --nproc-per-node N``: start N ranks on this machine and wait for them.

The launcher sets up the environment ``torch.distributed``'s ``env://`` rendezvous
reads (``MASTER_ADDR``, ``MASTER_PORT``, ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``), as
torchrun does, and starts one ``seqx`` process per rank. SIGINT and SIGTERM it
receives are passed to every rank, which saves at the next update boundary: the first
of each kind as its stand-in (:data:`seqx.training.signals.FORWARDED`), which a rank that
got the signal from its process group too takes as the same request, a later one (a
second request, to interrupt at once) as itself. When a rank fails, the others are given
a grace period to notice and stop, then ended. The launcher exits with the first
failing rank's status (0 when all succeed).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

from seqx.training.signals import ECHO_SECONDS, LAUNCHED_RANK, STAND_IN

GRACE_SECONDS = 60.0
"""How long the other ranks have to stop by themselves after one failed."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rank_env(rank: int, nproc: int, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": str(port),
        "RANK": str(rank),
        "LOCAL_RANK": str(rank),
        "WORLD_SIZE": str(nproc),
        "LOCAL_WORLD_SIZE": str(nproc),
        LAUNCHED_RANK: "1",
    }


def launch(nproc: int, argv: Sequence[str]) -> int:
    """Run ``seqx ARGV`` in ``nproc`` rank processes; the launcher's exit status."""
    port = _free_port()
    procs = [
        subprocess.Popen([sys.executable, "-m", "seqx", *argv], env=_rank_env(r, nproc, port))
        for r in range(nproc)
    ]
    first: dict[int, float] = {}

    def forward(signum: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        if signum in first and now - first[signum] < ECHO_SECONDS:
            return
        sent = signum if signum in first else STAND_IN[signal.Signals(signum)]
        first.setdefault(signum, now)
        for p in procs:
            if p.poll() is None:
                p.send_signal(sent)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _wait(procs)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _wait(procs: list[subprocess.Popen[bytes]]) -> int:
    failed_at: float | None = None
    while any(p.poll() is None for p in procs):
        failed = [p for p in procs if p.returncode not in (None, 0)]
        if failed and failed_at is None:
            failed_at = time.monotonic()
        if failed_at is not None and time.monotonic() - failed_at > GRACE_SECONDS:
            for p in procs:
                if p.poll() is None:
                    p.kill()
        time.sleep(0.1)
    codes = [p.returncode for p in procs]
    status = next((c for c in codes if c != 0), 0)
    return 128 - status if status < 0 else status  # killed by signal N: 128+N, as a shell
