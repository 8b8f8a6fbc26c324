"""What trusting the trainer costs: checkpoint save time, and 2 gloo ranks against 1 process.

On Multi30k de-en (joint sentencepiece 8k). Checkpoint saving: the wall
time of each atomic save (write, fsync, rename, copies) of
``transformer_iwslt_de_en`` with its Adam state, read from the trainer's
"saved ... (N s)" lines. Distributed: target tokens per second of the small
Transformer in one process (2 threads) and in two gloo ranks on CPU (1 thread
each, ``--nproc-per-node 2``), same --max-tokens per batch. Prints JSON.

    python bench/training_overheads.py [--updates 40]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
from pathlib import Path

from _common import (
    IWSLT_TRANSFORMER,
    SMALL_TRANSFORMER,
    TRAINING,
    data_bin,
    json_logs,
    machine,
    seqx,
)


def save_seconds(data: Path, work: Path) -> dict:
    proc, _, _ = seqx(
        "train", data, *IWSLT_TRANSFORMER, *TRAINING, "--max-update", 4,
        "--save-interval-updates", 1, "--disable-validation", "--save-dir", work / "iwslt",
        "--log-format", "simple",
    )  # fmt: skip
    times = [float(x) for x in re.findall(r"updates, ([0-9.]+) s\)", proc.stderr)]
    names = re.search(r"^saved (.+?) in ", proc.stderr, re.M)
    size = (work / "iwslt" / "checkpoint_last.pt").stat().st_size
    return {
        "model": "transformer_iwslt_de_en",
        "save_seconds_median": round(statistics.median(times), 3),
        "saves": len(times),
        "checkpoint_mib": round(size / 2**20, 1),
        "files_per_save": len(names.group(1).split(", ")) if names else None,
    }


def throughput(data: Path, work: Path, updates: int, ranks: int) -> dict:
    interval = max(5, updates // 4)
    extra = ["--nproc-per-node", ranks] if ranks > 1 else []
    proc, wall, _ = seqx(
        "train", data, *SMALL_TRANSFORMER, *TRAINING, "--max-update", updates, "--no-save",
        "--save-dir", work / "unused", "--log-format", "json", "--log-interval", interval, *extra,
    )  # fmt: skip
    inner = [x for x in json_logs(proc.stderr) if "update" in x and "wps" in x]
    steady = inner[1:] or inner  # the first interval includes warm-up
    wps = statistics.mean(x["wps"] for x in steady) if steady else None
    return {"ranks": ranks, "wps": round(wps) if wps else None, "wall_seconds": round(wall, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=40)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="seqx-overheads-"))
    data, _ = data_bin(work)
    tmp = Path(tempfile.mkdtemp(prefix="seqx-overheads-run-"))
    one = throughput(data, tmp, args.updates, 1)
    two = throughput(data, tmp, args.updates, 2)
    result = {
        "benchmark": "training_overheads",
        "checkpoint": save_seconds(data, tmp),
        "distributed_small_transformer": {
            "one_process": one,
            "two_gloo_ranks": two,
            "speedup": round(two["wps"] / one["wps"], 2) if one["wps"] and two["wps"] else None,
        },
        "machine": machine(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
