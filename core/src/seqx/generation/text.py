"""fairseq's output lines of a hypothesis."""

from __future__ import annotations

import math
from typing import Any


def hypothesis_lines(
    sid: int, hypo: dict[str, Any], tgt_dict: Any, post_process: str | None, decode: Any
) -> tuple[list[str], str, str]:
    """fairseq's H, D and P lines of one hypothesis, its token string and its decoded text."""
    hypo_str = tgt_dict.string(hypo["tokens"], post_process)
    detok = decode(tgt_dict.string(hypo["tokens"], None))
    score = hypo["score"] / math.log(2)
    positional = " ".join(f"{s / math.log(2):.4f}" for s in hypo["positional_scores"].tolist())
    return (
        [
            f"H-{sid}\t{score:.6g}\t{hypo_str}",
            f"D-{sid}\t{score:.6g}\t{detok}",
            f"P-{sid}\t{positional}",
        ],
        hypo_str,
        detok,
    )
