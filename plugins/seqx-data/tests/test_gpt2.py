"""gpt2: GPT-2's byte-level BPE, with a tiny encoder.json/vocab.bpe (tests/fixtures/gpt2,
make_tiny.py) and fairseq 0.12.2's encodings of some texts with them (golden.json)."""

import json
from pathlib import Path

import pytest

from seqx.errors import SeqxError
from seqx.testing import BPEConformance

FILES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "gpt2"
GOLDEN = json.loads((FILES / "golden.json").read_text(encoding="utf-8"))


def _config(**kw):
    from seqx_data.configs import GPT2BPEConfig

    files = {
        "gpt2_encoder_json": str(FILES / "encoder.json"),
        "gpt2_vocab_bpe": str(FILES / "vocab.bpe"),
    }
    return GPT2BPEConfig(**{**files, **kw})


class TestGPT2(BPEConformance):
    plugin = "seqx_data.plugin"
    name = "gpt2"
    samples = [" a man is riding a bike", " the dog's friend"]

    @pytest.fixture
    def config(self):
        return _config()


def test_encodings_are_fairseqs():
    from seqx_data.gpt2_bpe import GPT2BPE

    bpe = GPT2BPE(_config())
    assert [bpe.encode(t) for t in GOLDEN["texts"]] == GOLDEN["encoded"]
    assert [bpe.decode(e) for e in GOLDEN["encoded"]] == GOLDEN["decoded"]
    assert {u: bpe.is_beginning_of_word(u) for u in GOLDEN["encoded"][0].split()} == GOLDEN[
        "beginning_of_word"
    ]


def test_missing_files_name_the_flag(tmp_path):
    from seqx_data.gpt2_bpe import GPT2BPE

    with pytest.raises(SeqxError, match="needs --gpt2-encoder-json PATH"):
        GPT2BPE(_config(gpt2_encoder_json=None))
    with pytest.raises(SeqxError, match="--gpt2-vocab-bpe '.*' does not exist"):
        GPT2BPE(_config(gpt2_vocab_bpe=str(tmp_path / "vocab.bpe")))
