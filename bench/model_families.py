"""The LSTM and FConv families on Multi30k de-en: training throughput and beam-5 decoding.

``lstm_wiseman_iwslt_de_en`` (adam) and ``fconv_iwslt_de_en`` (the seed's recipe:
nag, lr 0.25, clip-norm 0.1, dropout 0.2), joint sentencepiece 8k,
``--max-tokens 4096``: target tokens per second and peak RSS over
``--updates`` updates. With ``--minutes M`` each is also trained for M
minutes and its best checkpoint decodes test2016 with beam 5, batch 128:
sentences per second and sacreBLEU. Prints JSON next to fairseq 0.12.2's
figures on this machine.

    python bench/model_families.py [--updates 60] [--minutes 0] [--amp]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _common import data_bin, machine, seqx
from generate_speed import decode_once
from train_throughput import measure

COMMON = ["--criterion", "label_smoothed_cross_entropy", "--label-smoothing", "0.1",
          "--max-tokens", "4096", "--num-workers", "0"]  # fmt: skip
FAMILIES = {
    "lstm_wiseman_iwslt_de_en": (
        ["--arch", "lstm_wiseman_iwslt_de_en"],
        ["--optimizer", "adam", "--lr", "0.001", *COMMON],
    ),
    "fconv_iwslt_de_en": (
        ["--arch", "fconv_iwslt_de_en", "--dropout", "0.2"],
        ["--optimizer", "nag", "--lr", "0.25", "--clip-norm", "0.1", *COMMON],
    ),
}
FAIRSEQ = {
    "lstm_wiseman_iwslt_de_en": {"train_wps": 5307, "decode_sentences_per_second": 187},
    "fconv_iwslt_de_en": {"train_wps": 4643, "decode_sentences_per_second": 153},
}


def decode(data: Path, checkpoint: Path, amp: bool) -> dict:
    rate, _, score = decode_once(data, checkpoint, amp=amp)
    return {"sentences_per_second": rate, "score": score}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=60)
    parser.add_argument("--minutes", type=float, default=0.0)
    parser.add_argument("--amp", action="store_true")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="seqx-families-"))
    data, _ = data_bin(work)
    results = {}
    for name, (model_args, training) in FAMILIES.items():
        result = {"train": measure(data, work, model_args, args.amp, args.updates, training)}
        if args.minutes > 0:
            save = work / f"ck-{name}"
            seqx(
                "train", data, *model_args, *training, "--stop-time-hours", args.minutes / 60,
                "--save-dir", save, "--no-epoch-checkpoints", "--log-format", "simple",
                *(["--amp"] if args.amp else []),
            )  # fmt: skip
            result["decode"] = decode(data, save / "checkpoint_best.pt", args.amp)
        results[name] = result
    print(
        json.dumps(
            {
                "benchmark": "model_families",
                "amp": args.amp,
                "results": results,
                "fairseq_0.12.2": FAIRSEQ,
                "machine": machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
