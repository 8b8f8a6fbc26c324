"""Time of ``seqx preprocess`` on Multi30k's three splits, without learning subwords.

Two settings: applying an existing joint sentencepiece model to the raw text,
and binarizing text that is already segmented (what fairseq-preprocess does).
Prints JSON next to fairseq-preprocess's 7.5 s on this machine.

    python bench/preprocess_speed.py [--workers 2] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from _common import MULTI30K, data_bin, machine, seqx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="seqx-pre-"))
    data, learn_seconds = data_bin(work)
    model = data / "sentencepiece.model"
    splits = [
        "--trainpref",
        MULTI30K / "train",
        "--validpref",
        MULTI30K / "valid",
        "--testpref",
        MULTI30K / "test",
    ]
    # pre-segmented copies of the three splits
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model))
    seg = work / "segmented"
    seg.mkdir()
    for split in ("train", "valid", "test"):
        for lang in ("de", "en"):
            lines = (MULTI30K / f"{split}.{lang}").read_text(encoding="utf-8").splitlines()
            pieces = sp.encode(lines, out_type=str)
            (seg / f"{split}.{lang}").write_text("\n".join(" ".join(p) for p in pieces) + "\n")
    seg_splits = [
        "--trainpref",
        seg / "train",
        "--validpref",
        seg / "valid",
        "--testpref",
        seg / "test",
    ]
    apply_times, binarize_times = [], []
    for i in range(args.runs):
        _, wall, _ = seqx(
            "preprocess",
            "-s",
            "de",
            "-t",
            "en",
            *splits,
            "--destdir",
            work / f"apply{i}",
            "--joined-dictionary",
            "--bpe",
            "sentencepiece",
            "--sentencepiece-model",
            model,
            "--workers",
            args.workers,
        )
        apply_times.append(wall)
        _, wall, _ = seqx(
            "preprocess",
            "-s",
            "de",
            "-t",
            "en",
            *seg_splits,
            "--destdir",
            work / f"bin{i}",
            "--joined-dictionary",
            "--workers",
            args.workers,
        )
        binarize_times.append(wall)
    print(
        json.dumps(
            {
                "benchmark": "preprocess_speed",
                "workers": args.workers,
                "seconds_applying_sentencepiece": round(statistics.median(apply_times), 2),
                "seconds_presegmented": round(statistics.median(binarize_times), 2),
                "seconds_learning_sentencepiece_8k_included": round(learn_seconds, 2),
                "fairseq_0.12.2_seconds": 7.5,
                "target_seconds": 3.75,
                "note": "wall time of the whole command, Python start-up included",
                "machine": machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
