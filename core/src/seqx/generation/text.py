"""fairseq's output lines of a hypothesis."""

from __future__ import annotations

import math
from typing import Any

import torch


def hypothesis_lines(
    sid: int, hypo: dict[str, Any], tgt_dict: Any, post_process: str | None, decode: Any
) -> tuple[list[str], str, str]:
    """fairseq's H, D and P lines of one hypothesis, its token string and its decoded text."""
    hypo_str = tgt_dict.string(hypo["tokens"], post_process)
    detok = decode(hypo_str)
    score = base2(hypo["score"])
    positional = " ".join(f"{s:.4f}" for s in (hypo["positional_scores"] / math.log(2)).tolist())
    return (
        [
            f"H-{sid}\t{score}\t{hypo_str}",
            f"D-{sid}\t{score}\t{detok}",
            f"P-{sid}\t{positional}",
        ],
        hypo_str,
        detok,
    )


def base2(score: float) -> float:
    """A float32 log-probability in base 2, rounded as fairseq rounds it (the division
    done in float32), so the printed digits are fairseq's."""
    return float(torch.tensor(score, dtype=torch.float32) / math.log(2))
