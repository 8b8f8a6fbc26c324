"""Helpers shared by the translation benchmarks: Multi30k data-bin, running seqx, parsing logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MULTI30K = ROOT.parent / "shared" / "data" / "multi30k"

SMALL_TRANSFORMER = [
    "--arch",
    "transformer",
    "--encoder-layers",
    "3",
    "--decoder-layers",
    "3",
    "--encoder-embed-dim",
    "256",
    "--encoder-ffn-embed-dim",
    "1024",
    "--encoder-attention-heads",
    "4",
    "--decoder-attention-heads",
    "4",
    "--share-all-embeddings",
]
IWSLT_TRANSFORMER = ["--arch", "transformer_iwslt_de_en", "--share-all-embeddings"]
TRAINING = [
    "--optimizer",
    "adam",
    "--adam-betas",
    "(0.9, 0.98)",
    "--lr",
    "0.001",
    "--lr-scheduler",
    "inverse_sqrt",
    "--warmup-updates",
    "1000",
    "--criterion",
    "label_smoothed_cross_entropy",
    "--label-smoothing",
    "0.1",
    "--max-tokens",
    "4096",
    "--num-workers",
    "0",
]


def seqx(*args: object, log: Path | None = None) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run ``python -m seqx ARGS``; returns the process, wall seconds and its peak RSS (MiB).

    The peak is that process's own (``os.wait4``), not the maximum over every
    child so far that ``RUSAGE_CHILDREN`` would give.
    """
    cmd = [sys.executable, "-m", "seqx", *map(str, args)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read())
    if log is not None:
        log.write_text(done.stdout + "\n" + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return done, wall, usage.ru_maxrss // 1024


def json_logs(text: str) -> list[dict]:
    """The JSON log lines of a ``--log-format json`` run."""
    out = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out


def data_bin(work: Path, vocab: int = 8000) -> tuple[Path, float]:
    """Multi30k de-en with a joint unigram sentencepiece model (cached); and preprocess time."""
    dest = work / f"multi30k-spm{vocab}"
    if (dest / "preprocess.json").exists():
        return dest, 0.0
    _, wall, _ = seqx(
        "preprocess",
        "-s",
        "de",
        "-t",
        "en",
        "--trainpref",
        MULTI30K / "train",
        "--validpref",
        MULTI30K / "valid",
        "--testpref",
        MULTI30K / "test",
        "--destdir",
        dest,
        "--joined-dictionary",
        "--bpe",
        "sentencepiece",
        "--bpe-vocab-size",
        vocab,
        "--workers",
        "2",
    )
    return dest, wall


def machine() -> dict:
    """What the figures were measured on."""
    import platform

    import torch

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "cpus": os.cpu_count(),
    }
