"""The built-in scorers through the conformance suite, and fairseq's BLEU by hand."""

import pytest

from seqx.scoring.bleu import BleuStat
from seqx.testing import ScorerConformance


class TestBleu(ScorerConformance):
    name = "bleu"


class TestSacrebleu(ScorerConformance):
    name = "sacrebleu"


def test_bleu_counts_clipped_ngrams():
    stat = BleuStat()
    stat.add(["the", "cat", "is", "on", "the", "mat"], ["the", "the", "the", "cat"])
    # unigrams: "the" x3 clipped to 2, "cat" 1 -> 3 of 4
    assert stat.match[0] == 3 and stat.count[0] == 4
    # bigrams: "the the" x2 (ref has none), "the cat" 1 -> 1 of 3
    assert stat.match[1] == 1 and stat.count[1] == 3
    assert stat.score() == 0.0  # no 3-gram matches: fairseq's BLEU is 0
    assert stat.result_string().startswith("BLEU4 = 0.00, 75.0/33.3/0.0/0.0 (BP=")


def test_bleu_of_a_perfect_output_is_100():
    stat = BleuStat()
    stat.add(["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e"])
    assert stat.score() == pytest.approx(100.0)
