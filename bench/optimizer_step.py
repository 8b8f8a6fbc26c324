"""Step time of seqx-optim's optimizers against the implementations they stand for.

Prints JSON: per optimizer, the median milliseconds of one step over a Transformer-sized
set of parameters (about 19 M, in 40 tensors), seqx's and the reference's measured
alternately in one run, and their ratio (seqx / reference; at most about 1 is the aim).
The references are torch's own classes where seqx wraps or matches one (adadelta,
adagrad, adam, cpu_adam) and fairseq 0.12.2's when it is importable (adamax, adafactor:
run the bench with fairseq's python, or set FAIRSEQ_SITE to its site-packages); lamb has
no reference here (apex does not install), so its time is given alone.

    python bench/optimizer_step.py [--steps 20] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import torch

from seqx.plugins import load_plugins

SHAPES = [(512, 512)] * 24 + [(2048, 512), (512, 2048)] * 6 + [(512,)] * 4
"""About 19 M parameters: a small Transformer's matrices and biases."""


def _params(seed: int) -> list[torch.nn.Parameter]:
    g = torch.Generator().manual_seed(seed)
    params = [torch.nn.Parameter(torch.randn(*s, generator=g) * 0.02) for s in SHAPES]
    for p in params:
        p.grad = torch.randn(p.shape, generator=g) * 1e-3
    return params


def _seqx(name: str, options: dict[str, Any]) -> Callable[[list[Any]], Any]:
    entry = load_plugins().registry.get("optimizer", name)
    cfg = entry.load_config()(**options)
    return lambda params: entry.load()(cfg, params, 1e-3)


def _fairseq(name: str) -> Callable[[list[Any]], Any] | None:
    site = os.environ.get("FAIRSEQ_SITE")
    if site and site not in sys.path:
        sys.path.append(site)
    try:
        if name == "adamax":
            from fairseq.optim.adamax import Adamax  # type: ignore[import-not-found]

            return lambda p: Adamax(p, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
        from fairseq.optim.adafactor import Adafactor  # type: ignore[import-not-found]

        return lambda p: Adafactor(
            p, lr=1e-3, scale_parameter=False, relative_step=False, warmup_init=False
        )
    except Exception:
        return None


CASES: list[tuple[str, dict[str, Any], str, Callable[[list[Any]], Any] | None]] = [
    ("adadelta", {}, "torch.optim.Adadelta (foreach)",
     lambda p: torch.optim.Adadelta(p, lr=1.0, foreach=True)),
    ("adagrad", {}, "torch.optim.Adagrad (foreach)",
     lambda p: torch.optim.Adagrad(p, lr=1e-3, foreach=True)),
    ("adam", {}, "torch.optim.AdamW (foreach)",
     lambda p: torch.optim.AdamW(p, lr=1e-3, foreach=True)),
    ("cpu_adam", {}, "torch.optim.AdamW (foreach)",
     lambda p: torch.optim.AdamW(p, lr=1e-3, foreach=True)),
]  # fmt: skip


def _time(make: Callable[[list[Any]], Any], steps: int) -> list[float]:
    opt = make(_params(0))
    opt.step()  # states allocated
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        opt.step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cases = list(CASES)
    for name in ("adamax", "adafactor"):
        cases.append((name, {}, f"fairseq 0.12.2's {name}", _fairseq(name)))
    cases.append(("lamb", {}, "none (apex is not installable here)", None))
    out: dict[str, Any] = {"parameters": sum(p.numel() for p in _params(0)), "steps": args.steps}
    for name, options, label, reference in cases:
        ours_all, ref_all = [], []
        for _ in range(5):  # alternate, so that drift in the machine's speed hits both
            ours_all += _time(_seqx(name, options), args.steps)
            if reference is not None:
                ref_all += _time(reference, args.steps)
        ours = statistics.median(ours_all)
        row: dict[str, Any] = {"seqx_ms": round(ours, 2), "reference": label}
        if reference is not None:
            ref = statistics.median(ref_all)
            row.update(reference_ms=round(ref, 2), ratio=round(ours / ref, 3))
        out[name] = row
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
