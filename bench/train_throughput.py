"""Training throughput on Multi30k de-en (joint sentencepiece 8k, --max-tokens 4096).

For the small Transformer (3+3 layers, 256 wide, 4 heads, FFN 1024, shared
embeddings) and ``transformer_iwslt_de_en`` (shared embeddings), in fp32 and
with ``--amp``: target tokens per second and updates per second after a
warm-up interval, and the peak RSS of the training process. Prints JSON,
next to fairseq 0.12.2's figures on this machine.

    python bench/train_throughput.py [--updates 60] [--models small,iwslt] [--precisions fp32,amp]
"""

from __future__ import annotations

import argparse
import json
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

MODELS = {"small": SMALL_TRANSFORMER, "iwslt": IWSLT_TRANSFORMER}
FAIRSEQ = {
    "small": {"wps": 3041, "peak_rss_mib": 1587},
    "iwslt": {"wps": 832, "peak_rss_mib": 3711},
}
TARGET_WPS = {"small": 4000, "iwslt": 960}


def measure(
    data: Path, work: Path, model_args: list[str], amp: bool, updates: int, training=TRAINING
) -> dict:
    """Train ``updates`` updates of ``model_args``; throughput after the first interval."""
    interval = max(5, updates // 6)
    proc, wall, rss = seqx(
        "train",
        data,
        *model_args,
        *training,
        "--max-update",
        updates,
        "--no-save",
        "--save-dir",
        work / "unused",
        "--log-format",
        "json",
        "--log-interval",
        interval,
        *(["--amp"] if amp else []),
    )
    inner = [x for x in json_logs(proc.stderr) if "update" in x and "wps" in x]
    steady = inner[1:] or inner  # the first interval includes warm-up
    tokens = sum(x["wpb"] * interval for x in steady)
    seconds = sum(interval / x["ups"] for x in steady)
    return {
        "wps": round(tokens / seconds),
        "ups": round(len(steady) * interval / seconds, 3),
        "wpb": round(tokens / (len(steady) * interval), 1),
        "peak_rss_mib": rss,
        "updates_measured": len(steady) * interval,
        "wall_seconds": round(wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=60)
    parser.add_argument("--models", default="small,iwslt")
    parser.add_argument("--precisions", default="fp32,amp")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="seqx-train-"))
    data, _ = data_bin(work)
    results = {}
    for model in args.models.split(","):
        for precision in args.precisions.split(","):
            results[f"{model}/{precision}"] = measure(
                data, work, MODELS[model], precision == "amp", args.updates
            )
    print(
        json.dumps(
            {
                "benchmark": "train_throughput",
                "data": "multi30k de-en, joint unigram sentencepiece 8k, --max-tokens 4096",
                "results": results,
                "fairseq_0.12.2": FAIRSEQ,
                "targets_wps": TARGET_WPS,
                "machine": machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
