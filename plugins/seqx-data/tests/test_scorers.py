"""chrf and wer report what fairseq 0.12.2's do (tests/fixtures/fairseq/scorers.json,
written by make_scorers.py on fairseq's own generate output)."""

import json
from pathlib import Path

import pytest

from seqx.errors import SeqxError
from seqx.plugins import load_plugins
from seqx.testing import ScorerConformance

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "fairseq"
GOLDEN = json.loads((FIXTURES / "scorers.json").read_text())
SYS = (FIXTURES / "score" / "sys.txt").read_text(encoding="utf-8").splitlines()
REF = (FIXTURES / "score" / "ref.txt").read_text(encoding="utf-8").splitlines()


class TestChrF(ScorerConformance):
    plugin = "seqx_data.plugin"
    name = "chrf"


class TestWer(ScorerConformance):
    plugin = "seqx_data.plugin"
    name = "wer"
    higher_is_better = False


def _scorer(name, **options):
    entry = load_plugins().registry.get("scorer", name)
    cls = entry.load_config()
    scorer = entry.load()(cls(**options) if cls is not None else None)
    for r, h in zip(REF, SYS, strict=True):
        scorer.add_string(r, h)
    return scorer


@pytest.mark.parametrize(
    "case", GOLDEN["wer"], ids=lambda c: "-".join(map(str, c["options"].values()))
)
def test_wer_is_fairseqs(case):
    scorer = _scorer("wer", **case["options"])
    assert scorer.result_string() == case["result"]
    assert scorer.score() == pytest.approx(case["score"])


def test_chrf_is_fairseqs():
    scorer = _scorer("chrf")
    assert scorer.result_string() == GOLDEN["chrf"]["result"]
    assert scorer.score() == pytest.approx(
        float(GOLDEN["chrf"]["result"].split(" = ")[1]), abs=0.01
    )


def test_an_unknown_wer_tokenizer_is_named():
    with pytest.raises(SeqxError, match="--wer-tokenizer 'moses'"):
        _scorer("wer", wer_tokenizer="moses")
