"""BLEU of the small Transformer on Multi30k test2016 after a fixed training time.

Preprocesses Multi30k de-en (joint unigram sentencepiece 8k), trains the
small Transformer (3+3 layers, 256 wide, 4 heads, FFN 1024, shared
embeddings; adam, inverse_sqrt, label smoothing 0.1) for ``--minutes`` of
training, decodes test2016 with beam 5 and batch 128, and scores the
detokenized output against the raw references with sacrebleu. Prints JSON.

    python bench/translation_bleu.py [--minutes 35] [--amp] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _common import MULTI30K, SMALL_TRANSFORMER, TRAINING, data_bin, json_logs, machine, seqx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=35.0)
    parser.add_argument("--amp", action="store_true", help="train with --amp")
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="seqx-bleu-"))
    work.mkdir(parents=True, exist_ok=True)
    data, preprocess_seconds = data_bin(work)
    save = work / f"small-{'amp' if args.amp else 'fp32'}"
    train, train_wall, train_rss = seqx(
        "train",
        data,
        *SMALL_TRANSFORMER,
        *TRAINING,
        "--dropout",
        args.dropout,
        "--stop-time-hours",
        args.minutes / 60,
        "--save-dir",
        save,
        "--log-format",
        "json",
        "--log-interval",
        50,
        "--no-epoch-checkpoints",
        *(["--amp"] if args.amp else []),
        log=work / "train.log",
    )
    logs = json_logs(train.stderr)
    epochs = [x for x in logs if x.get("tag") == "train"]
    valid = [x for x in logs if x.get("tag") == "valid"]
    gen, _, _ = seqx(
        "generate",
        data,
        "--path",
        save / "checkpoint_best.pt",
        "--beam",
        5,
        "--batch-size",
        128,
        "--scoring",
        "sacrebleu",
        log=work / "generate.log",
    )
    hyps = sorted(
        (line.split("\t") for line in gen.stdout.splitlines() if line.startswith("D-")),
        key=lambda f: int(f[0][2:]),
    )
    hyp_file = work / "test.hyp.en"
    hyp_file.write_text("\n".join(f[2] for f in hyps) + "\n")
    import sacrebleu

    refs = (MULTI30K / "test.en").read_text(encoding="utf-8").splitlines()
    system = hyp_file.read_text(encoding="utf-8").splitlines()
    bleu = sacrebleu.corpus_bleu(system, [refs])
    chrf = sacrebleu.corpus_chrf(system, [refs])
    speed = next(line for line in gen.stderr.splitlines() if line.startswith("Translated"))
    print(
        json.dumps(
            {
                "benchmark": "translation_bleu",
                "model": "small transformer 3+3x256, FFN 1024, 4 heads, shared embeddings",
                "amp": args.amp,
                "dropout": args.dropout,
                "training_minutes": args.minutes,
                "preprocess_seconds": round(preprocess_seconds, 2),
                "updates": epochs[-1]["num_updates"] if epochs else None,
                "epochs": len(epochs),
                "train_wps_last_epoch": epochs[-1]["wps"] if epochs else None,
                "train_wall_seconds": round(train_wall, 1),
                "train_peak_rss_mib": train_rss,
                "best_valid_loss": min(v["loss"] for v in valid) if valid else None,
                "test2016_sacrebleu": round(bleu.score, 2),
                "test2016_chrf": round(chrf.score, 1),
                "sacrebleu": str(bleu),
                "decode": speed,
                "baseline_fairseq_0.12.2": {
                    "sacrebleu": 36.15,
                    "chrf": 56.7,
                    "updates": 1850,
                    "decode_sentences_per_second": 124,
                },
                "machine": machine(),
                "work": str(work),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
