"""Beam-5 decoding speed on Multi30k test2016 (batch 128) with a trained checkpoint.

    python bench/generate_speed.py --data DATA_BIN --path CHECKPOINT [--runs 3] [--amp]
        [--int8] [--decode-workers N]

Prints JSON: sentences and tokens per second (median of runs) and the BLEU
of the output, next to fairseq 0.12.2's figure for the model on this machine.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from pathlib import Path

from _common import machine, seqx

FAIRSEQ = {"transformer": 124, "lstm": 187, "fconv": 153}
"""fairseq 0.12.2's beam-5 sentences/s on this machine, by model (the small Transformer)."""
TARGET = {"transformer": 250, "lstm": 280, "fconv": 230}


def model_name(checkpoint: Path) -> str:
    """The model a checkpoint holds (its registered name)."""
    import torch

    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    return str(state["components"]["model"]["name"])


def decode_once(
    data: Path,
    path: Path,
    *,
    beam: int = 5,
    batch_size: int = 128,
    amp: bool,
    int8: bool = False,
    workers: int = 1,
) -> tuple[float, float, str | None]:
    """One ``seqx generate`` of test2016 with sacreBLEU: (sentences/s, tokens/s, score line)."""
    proc, _, _ = seqx(
        "generate", data, "--path", path, "--beam", beam, "--batch-size", batch_size,
        "--scoring", "sacrebleu", "--quiet", *(["--amp"] if amp else []),
        *(["--int8"] if int8 else []),
        "--decode-workers", workers,
    )  # fmt: skip
    line = next(x for x in proc.stderr.splitlines() if x.startswith("Translated"))
    m = re.search(r"\(([\d.]+) sentences/s, ([\d.]+) tokens/s\)", line)
    assert m is not None, line
    score = next((x for x in proc.stdout.splitlines() if "BLEU" in x), None)
    return float(m.group(1)), float(m.group(2)), score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--path", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--amp", action="store_true", help="decode with --amp (bfloat16 on CPU)")
    parser.add_argument("--int8", action="store_true", help="decode with --int8")
    parser.add_argument("--decode-workers", type=int, default=1, help="seqx's --decode-workers")
    args = parser.parse_args()
    model = model_name(args.path)
    rates, tok_rates, bleu = [], [], None
    for _ in range(args.runs):
        rate, tok_rate, score = decode_once(
            args.data,
            args.path,
            beam=args.beam,
            batch_size=args.batch_size,
            amp=args.amp,
            int8=args.int8,
            workers=args.decode_workers,
        )
        rates.append(rate)
        tok_rates.append(tok_rate)
        bleu = score or bleu
    print(
        json.dumps(
            {
                "benchmark": "generate_speed",
                "beam": args.beam,
                "batch_size": args.batch_size,
                "amp": args.amp,
                "int8": args.int8,
                "decode_workers": args.decode_workers,
                "sentences_per_second": statistics.median(rates),
                "tokens_per_second": statistics.median(tok_rates),
                "all_runs": rates,
                "score": bleu,
                "model": model,
                "fairseq_0.12.2_sentences_per_second": FAIRSEQ.get(model),
                "target_sentences_per_second": TARGET.get(model),
                "machine": machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
