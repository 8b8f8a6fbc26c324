"""bert: BERT's WordPiece, encoding and decoding as fairseq 0.12.2's bert (transformers'
BertTokenizer) does (tests/fixtures/bert: a tiny vocab.txt and fairseq's output)."""

import json
from pathlib import Path

import pytest

from seqx.errors import SeqxError
from seqx.testing import BPEConformance

pytest.importorskip("tokenizers")
FILES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "bert"
GOLDEN = json.loads((FILES / "golden.json").read_text(encoding="utf-8"))


def _config(**kw):
    from seqx_data.configs import BertBPEConfig

    return BertBPEConfig(**{"bpe_vocab_file": str(FILES / "vocab.txt"), **kw})


class TestBert(BPEConformance):
    plugin = "seqx_data.plugin"
    name = "bert"
    samples = ["the man is running", "the dog is playing"]

    @pytest.fixture
    def config(self):
        return _config()


@pytest.mark.parametrize("cased", [False, True])
def test_units_are_fairseqs(cased):
    from seqx_data.bert_bpe import BertBPE

    bpe = BertBPE(_config(bpe_cased=cased))
    want = GOLDEN["cased"][str(cased)]
    assert [bpe.encode(t) for t in GOLDEN["texts"]] == want["encoded"]
    assert [bpe.decode(e) for e in want["encoded"]] == want["decoded"]


def test_the_vocabulary_file_is_named_when_missing(tmp_path):
    from seqx_data.bert_bpe import BertBPE

    with pytest.raises(SeqxError, match="needs --bpe-vocab-file PATH"):
        BertBPE(_config(bpe_vocab_file=None))
    with pytest.raises(SeqxError, match="does not exist"):
        BertBPE(_config(bpe_vocab_file=str(tmp_path / "vocab.txt")))
