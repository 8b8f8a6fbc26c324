"""seqx score prints what fairseq-score prints (tests/fixtures/fairseq/score, written by
fairseq-score 0.12.2 through make_scores.sh)."""

from pathlib import Path

import pytest

from seqx.scoring.bleu import BleuStat
from seqx.testing.cli import run_seqx

SCORE = Path(__file__).resolve().parent / "fixtures" / "fairseq" / "score"


@pytest.mark.parametrize(
    "flags, expected",
    [
        ((), "default.txt"),
        (("--order", "2"), "order2.txt"),
        (("--ignore-case",), "ignore-case.txt"),
    ],
)
def test_fairseq_scores_lines(flags, expected):
    proc = run_seqx("score", "--sys", SCORE / "sys.txt", "--ref", SCORE / "ref.txt", *flags)
    assert proc.stdout == (SCORE / expected).read_text()


def test_sentence_bleu_counts_from_one_and_sacrebleu_is_sacrebleus():
    proc = run_seqx(
        "score", "--sys", SCORE / "sys.txt", "--ref", SCORE / "ref.txt", "--sentence-bleu"
    )
    lines = proc.stdout.splitlines()
    assert len(lines) == 40 and lines[0].startswith("0 BLEU4 = ")
    stat = BleuStat.one_init()
    stat.add(["a", "b", "c"], ["a", "b", "d"])
    # counts 1+: matches 3/4, 2/3, 1/2, 1/1; lengths 4 and 4
    assert stat.score() == pytest.approx(100 * (3 / 4 * 2 / 3 * 1 / 2 * 1) ** 0.25)
    proc = run_seqx("score", "--sys", SCORE / "sys.txt", "--ref", SCORE / "ref.txt", "--sacrebleu")
    assert proc.stdout.startswith("BLEU = ")


def test_an_unknown_reference_word_matches_nothing():
    stat = BleuStat()
    stat.add(["<<unk>>", "b"], ["<<unk>>", "b"])
    assert stat.match[0] == 1 and stat.count[0] == 2
