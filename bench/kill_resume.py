"""Kill -9 a training run at random moments and rerun it: does it end as an uninterrupted run?

A small Transformer on the bundled sample corpus, checkpointing every
``--save-interval-updates``. The run is killed ``--kills`` times at random
moments (after random delays) and restarted with the same command each
time, until it finishes. Prints JSON: the number of kills, whether the final
model equals the uninterrupted run's bit for bit, and whether every logged
training loss does.

    python bench/kill_resume.py [--kills 20] [--updates 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
from _common import machine

TRAIN = [
    "--arch", "transformer_tiny", "--share-all-embeddings", "--dropout", "0.1",
    "--optimizer", "adam", "--lr", "0.002", "--lr-scheduler", "inverse_sqrt",
    "--warmup-updates", "20", "--criterion", "label_smoothed_cross_entropy",
    "--label-smoothing", "0.1", "--batch-size", "16", "--update-freq", "2",
    "--num-workers", "0", "--log-format", "simple", "--log-interval", "1", "--seed", "3",
    "--save-interval-updates", "2", "--no-epoch-checkpoints",
]  # fmt: skip


def seqx_cmd(*args: object) -> list[str]:
    return [sys.executable, "-m", "seqx", *map(str, args)]


def losses(text: str) -> dict[int, str]:
    out = {}
    for line in text.splitlines():
        if "loss=" in line and "num_updates=" in line:
            out[int(line.split("num_updates=")[1].split(",")[0])] = line.split("loss=")[1].split(
                ","
            )[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="seqx-kill-"))
    subprocess.run(
        [sys.executable, "-m", "seqx.testing.corpus", str(work / "raw")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    raw = work / "raw"
    subprocess.run(
        seqx_cmd("preprocess", "-s", "de", "-t", "en", "--trainpref", raw / "train",
                 "--validpref", raw / "valid", "--destdir", work / "bin", "--joined-dictionary"),
        check=True, capture_output=True,
    )  # fmt: skip
    run = [*TRAIN, "--max-update", args.updates]
    start = time.perf_counter()
    straight = subprocess.run(
        seqx_cmd("train", work / "bin", *run, "--save-dir", work / "straight"),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    straight_seconds = time.perf_counter() - start
    cmd = seqx_cmd("train", work / "bin", *run, "--save-dir", work / "killed")
    logged: dict[int, str] = {}
    kills = restarts = 0
    while True:
        restarts += 1
        with tempfile.TemporaryFile("w+") as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True)
            killed = False
            if kills < args.kills:
                try:
                    proc.wait(timeout=rng.uniform(0.5, 6.0))
                except subprocess.TimeoutExpired:
                    proc.kill()  # SIGKILL
                    killed = True
            proc.wait()
            err.seek(0)
            logged.update(losses(err.read()))
        if killed:
            kills += 1
            continue
        if proc.returncode != 0:
            raise SystemExit(f"the rerun failed with status {proc.returncode}")
        break
    a = torch.load(work / "straight" / "checkpoint_last.pt", weights_only=True)["model"]
    b = torch.load(work / "killed" / "checkpoint_last.pt", weights_only=True)["model"]
    same_model = a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    expected = losses(straight.stderr)
    print(
        json.dumps(
            {
                "benchmark": "kill_resume",
                "kills": kills,
                "runs": restarts,
                "updates": args.updates,
                "model_equal": same_model,
                "losses_equal": logged == expected,
                "losses_compared": len(expected),
                "uninterrupted_seconds": round(straight_seconds, 1),
                "machine": machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
