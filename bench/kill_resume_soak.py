"""Soak: three trainings killed at random into their own folders while a fourth process
keeps trying to share the first one's folder. Does every folder end resumable, finished
and equal to an uninterrupted run, with the intruder refused whenever the folder was
in use, and never two runs' checkpoints mixed?

Each of the three runs is killed ``--kills`` times at random moments, by SIGKILL to
the process or SIGTERM to its whole process group (as a scheduler preempts, with
DataLoader workers running), and restarted with the same command until it finishes.
The fourth process starts the first run's command at random moments: it must be
refused while that run is alive, and may take the folder over (the same command
resuming) only when it is free. Prints JSON.

    python bench/kill_resume_soak.py [--kills 6] [--updates 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import torch
from _common import machine
from kill_resume import TRAIN, seqx_cmd

REFUSED = "is in use by"


def _start(cmd: list[str], err: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=err, text=True, start_new_session=True
    )


def _kill(proc: subprocess.Popen[str], rng: random.Random) -> str:
    if rng.random() < 0.5:
        proc.kill()
        return "SIGKILL"
    os.killpg(proc.pid, signal.SIGTERM)  # the main process and its DataLoader workers
    return "SIGTERM to the group"


def _run_until_done(cmd: list[str], kills: int, rng: random.Random, out: dict[str, Any]) -> None:
    """Start ``cmd``, kill it at random ``kills`` times, restart it until it finishes."""
    out.update(kills=0, refused=0, runs=0, errors=[], how={})
    while True:
        out["runs"] += 1
        with tempfile.TemporaryFile("w+") as err:
            proc = _start(cmd, err)
            how = None
            if out["kills"] < kills:
                try:
                    proc.wait(timeout=rng.uniform(1.0, 8.0))
                except subprocess.TimeoutExpired:
                    how = _kill(proc, rng)
            proc.wait()
            err.seek(0)
            text = err.read()
        if how is not None:
            out["kills"] += 1
            out["how"][how] = out["how"].get(how, 0) + 1
            continue
        if proc.returncode == 0:
            return
        if REFUSED in text:  # the intruder holds the folder: wait and resume
            out["refused"] += 1
            time.sleep(1.0)
            continue
        if proc.returncode == 128 + signal.SIGTERM:  # a late SIGTERM: resume
            continue
        out["errors"].append(text.strip().splitlines()[-1] if text.strip() else proc.returncode)
        return


def _intrude(cmd: list[str], done: threading.Event, rng: random.Random, out: dict[str, Any]):
    """Start ``cmd`` at random moments until ``done``: each attempt is refused (the folder
    is in use), takes the folder over (it was free: the same command resumes), or is
    killed before it got that far; anything else is an error."""
    out.update(attempts=0, refused=0, took_over=0, killed_early=0, errors=[])
    while not done.is_set():
        time.sleep(rng.uniform(0.5, 3.0))
        out["attempts"] += 1
        killed = False
        with tempfile.TemporaryFile("w+") as err:
            proc = _start(cmd, err)
            try:
                proc.wait(timeout=rng.uniform(5.0, 15.0))
            except subprocess.TimeoutExpired:
                _kill(proc, rng)
                killed = True
                proc.wait()
            err.seek(0)
            text = err.read()
        if REFUSED in text and proc.returncode == 1:
            out["refused"] += 1
        elif "parameters, on" in text:  # it held the folder and trained
            out["took_over"] += 1
        elif killed:
            out["killed_early"] += 1
        else:
            out["errors"].append(text.strip().splitlines()[-1] if text.strip() else "no output")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--updates", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="seqx-soak-"))
    subprocess.run(seqx_cmd_corpus(work), check=True, stdout=subprocess.DEVNULL)
    raw = work / "raw"
    subprocess.run(
        seqx_cmd("preprocess", "-s", "de", "-t", "en", "--trainpref", raw / "train",
                 "--validpref", raw / "valid", "--destdir", work / "bin", "--joined-dictionary"),
        check=True, capture_output=True,
    )  # fmt: skip
    run = [*TRAIN, "--max-update", args.updates, "--num-workers", "1"]
    start = time.perf_counter()
    subprocess.run(
        seqx_cmd("train", work / "bin", *run, "--save-dir", work / "straight"),
        check=True, capture_output=True,
    )  # fmt: skip
    names = ["a", "b", "c"]
    cmds = {n: seqx_cmd("train", work / "bin", *run, "--save-dir", work / n) for n in names}
    results: dict[str, dict[str, Any]] = {n: {} for n in [*names, "intruder"]}
    done = threading.Event()
    threads = [
        threading.Thread(
            target=_run_until_done,
            args=(cmds[n], args.kills, random.Random(rng.random()), results[n]),
        )
        for n in names
    ]
    intruder = threading.Thread(
        target=_intrude, args=(cmds["a"], done, random.Random(rng.random()), results["intruder"])
    )
    for t in [*threads, intruder]:
        t.start()
    for t in threads:
        t.join()
    done.set()
    intruder.join()
    # a last run of each command: every folder must resume to the end (or be at it)
    final = {n: subprocess.run(cmds[n], capture_output=True, text=True) for n in names}
    straight = torch.load(work / "straight" / "checkpoint_last.pt", weights_only=True)["model"]
    folders = {}
    for n in names:
        state = torch.load(work / n / "checkpoint_last.pt", weights_only=True)
        model = state["model"]
        folders[n] = {
            **results[n],
            "final_run_ok": final[n].returncode == 0,
            "updates": state["trainer"]["num_updates"],
            "model_equal": model.keys() == straight.keys()
            and all(torch.equal(model[k], straight[k]) for k in model),
            "temporaries_left": sorted(p.name for p in (work / n).glob(".tmp-*")),
        }
    ok = all(
        f["final_run_ok"] and f["model_equal"] and f["updates"] == args.updates
        and not f["errors"] and not f["temporaries_left"]
        for f in folders.values()
    ) and not results["intruder"]["errors"]  # fmt: skip
    print(
        json.dumps(
            {
                "benchmark": "kill_resume_soak",
                "updates": args.updates,
                "folders": folders,
                "intruder": results["intruder"],
                "every_folder_finished_unmixed": ok,
                "seconds": round(time.perf_counter() - start, 1),
                "machine": machine(),
            },
            indent=2,
        )
    )


def seqx_cmd_corpus(work: Path) -> list[str]:
    """The command that writes the bundled sample corpus into ``work/raw``."""
    import sys

    return [sys.executable, "-m", "seqx.testing.corpus", str(work / "raw")]


if __name__ == "__main__":
    main()
