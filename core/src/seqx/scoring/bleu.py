"""fairseq's own BLEU: clipped n-gram counts of whitespace tokens, no smoothing.

What ``fairseq-score`` prints by default and the ``bleu`` scorer of ``fairseq-generate``
computes (fairseq's C counter, ``libbleu``): per sentence, for each order up to 4, the
n-grams of the hypothesis and how many of them the reference holds (clipped by the
reference's count), summed over the corpus with the lengths. A reference's unknown word
never matches. ``one_init`` starts every count at 1: fairseq's sentence-level BLEU.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from seqx.scoring.scorer import Scorer

UNKS = ("<unk>", "<<unk>>")
"""A reference's unknown word (as the dictionary writes it, or escaped as generate prints
it): it matches nothing."""


@dataclass
class BleuStat:
    """The corpus counts: hypothesis and reference lengths, n-gram matches and totals."""

    predlen: int = 0
    """Tokens in the hypotheses."""
    reflen: int = 0
    """Tokens in the references."""
    match: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    """Matching n-grams, orders 1 to 4."""
    count: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    """Hypothesis n-grams, orders 1 to 4."""

    @classmethod
    def one_init(cls) -> BleuStat:
        """Every count at 1 (fairseq's ``reset(one_init=True)``)."""
        return cls(1, 1, [1, 1, 1, 1], [1, 1, 1, 1])

    def add(self, ref: list[str], pred: list[str]) -> None:
        """Count one sentence pair (tokens)."""
        self.reflen += len(ref)
        self.predlen += len(pred)
        ref = [f"\0{i}" if t in UNKS else t for i, t in enumerate(ref)]
        for n in range(1, 5):
            grams = Counter(tuple(pred[i : i + n]) for i in range(len(pred) - n + 1))
            held = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
            self.count[n - 1] += sum(grams.values())
            self.match[n - 1] += sum(min(c, held[g]) for g, c in grams.items())

    def precision(self) -> list[float]:
        """Matches over totals per order (0 where there is no n-gram)."""
        return [m / c if c > 0 else 0.0 for m, c in zip(self.match, self.count, strict=True)]

    def brevity(self) -> float:
        """The brevity penalty."""
        if self.predlen == 0:
            return 0.0
        return min(1.0, math.exp(1 - self.reflen / self.predlen))

    def score(self, order: int = 4) -> float:
        """BLEU up to ``order``, in percent (0 when an order has no match)."""
        precisions = self.precision()[:order]
        if any(p <= 0 for p in precisions):
            return 0.0
        return self.brevity() * math.exp(sum(math.log(p) for p in precisions) / order) * 100

    def result_string(self, order: int = 4) -> str:
        """fairseq's line: ``BLEU4 = 27.34, 60.1/33.2/20.9/13.7 (BP=1.000, ratio=1.014,
        syslen=1290, reflen=1272)``."""
        precisions = "/".join(f"{p * 100:2.1f}" for p in self.precision()[:order])
        ratio = self.predlen / self.reflen if self.reflen else 0.0
        return (
            f"BLEU{order} = {self.score(order):2.2f}, {precisions} (BP={self.brevity():.3f}, "
            f"ratio={ratio:.3f}, syslen={self.predlen}, reflen={self.reflen})"
        )


class BleuScorer(Scorer):
    """fairseq's default ``bleu``: BLEU-4 of the (post-processed) token strings as they
    are, with fairseq's counter."""

    uses_detokenized = False

    def __init__(self, cfg: object = None) -> None:
        super().__init__(cfg)
        self.stat = BleuStat()

    def add_string(self, ref: str, pred: str) -> None:
        super().add_string(ref, pred)
        self.stat.add(ref.split(), pred.split())

    def score(self) -> float:
        return self.stat.score()

    def result_string(self) -> str:
        return self.stat.result_string()
