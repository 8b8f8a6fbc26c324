"""``ScorerConformance``: a scorer ranks a perfect output above a wrong one and reports it."""

from __future__ import annotations

from typing import Any, ClassVar

from seqx.registry import Entry
from seqx.testing.conformance.component import ComponentConformance


class ScorerConformance(ComponentConformance):
    """Subclass with ``name``, ``plugin`` and ``higher_is_better`` (False for error rates)."""

    kind = "scorer"
    higher_is_better: ClassVar[bool] = True
    """Whether a larger score is a better output (BLEU, chrF) or a worse one (WER)."""
    references: ClassVar[list[str]] = [
        "a man in a red shirt is riding a bike down the street .",
        "two dogs are playing in the snow near a tall tree .",
    ]
    """References; the wrong outputs change some of their words."""

    def _scored(self, entry: Entry, config: Any, outputs: list[str]) -> Any:
        scorer = entry.load()(config)
        for ref, out in zip(self.references, outputs, strict=True):
            scorer.add_string(ref, out)
        return scorer

    def test_a_perfect_output_scores_better_than_a_wrong_one(
        self, entry: Entry, config: Any
    ) -> None:
        wrong = [r.replace("a ", "the ").replace("dogs", "cats") for r in self.references]
        perfect = self._scored(entry, config, list(self.references)).score()
        worse = self._scored(entry, config, wrong).score()
        assert (perfect > worse) if self.higher_is_better else (perfect < worse)

    def test_scores_are_deterministic_and_reported(self, entry: Entry, config: Any) -> None:
        a = self._scored(entry, config, list(self.references))
        b = self._scored(entry, config, list(self.references))
        assert a.score() == b.score()
        assert isinstance(a.result_string(), str) and a.result_string().strip()
