"""characters, bytes and byte_bpe: fairseq's encodings (tests/fixtures/fairseq/
byte_level.json, written by fairseq 0.12.2 with make_byte_level.py)."""

import json
from pathlib import Path

import pytest

from seqx.errors import SeqxError
from seqx.testing import BPEConformance

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "fairseq"
GOLDEN = json.loads((FIXTURES / "byte_level.json").read_text(encoding="utf-8"))


class TestCharacters(BPEConformance):
    plugin = "seqx_data.plugin"
    name = "characters"

    @pytest.fixture
    def config(self):
        return None

    def test_first_unit_begins_a_word(self, bpe):
        with pytest.raises(SeqxError, match="one unit alone does not tell"):
            bpe.is_beginning_of_word("a")


class TestBytes(BPEConformance):
    plugin = "seqx_data.plugin"
    name = "bytes"
    samples = ["a man is riding a bike", "Mädchen über 日本 🚲"]

    @pytest.fixture
    def config(self):
        return None

    def test_first_unit_begins_a_word(self, bpe):
        with pytest.raises(SeqxError, match="one unit alone does not tell"):
            bpe.is_beginning_of_word("a")


@pytest.mark.parametrize("name", ["bytes", "characters"])
def test_encodings_are_fairseqs(name):
    from seqx_data.byte_level import Bytes, Characters

    bpe = {"bytes": Bytes, "characters": Characters}[name]()
    assert [bpe.encode(t) for t in GOLDEN["texts"]] == GOLDEN["encoded"][name]
    assert [bpe.decode(e) for e in GOLDEN["encoded"][name]] == GOLDEN["decoded"][name]


def test_broken_bytes_keep_what_can_be_recovered():
    from seqx_data.byte_level import Bytes

    assert [Bytes().decode(b) for b in GOLDEN["broken"]] == GOLDEN["broken_decoded"]


def test_byte_bpe_needs_its_model(tmp_path):
    from seqx_data.byte_level import ByteBPE
    from seqx_data.configs import ByteBPEConfig

    with pytest.raises(SeqxError, match="needs --sentencepiece-model-path"):
        ByteBPE(ByteBPEConfig())
    with pytest.raises(SeqxError, match="does not exist"):
        ByteBPE(ByteBPEConfig(sentencepiece_model_path=str(tmp_path / "no.model")))


def test_byte_bpe_segments_byte_encoded_text(tmp_path):
    import sentencepiece as spm

    from seqx_data.byte_level import ByteBPE, byte_encode
    from seqx_data.configs import ByteBPEConfig

    text = tmp_path / "bytes.txt"
    lines = ["Ein Mädchen läuft über die Straße", "Zwei Männer spielen Fußball"] * 30
    text.write_text("\n".join(byte_encode(line) for line in lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(tmp_path / "bb"), vocab_size=60,
        model_type="bpe", character_coverage=1.0, minloglevel=2, hard_vocab_limit=False,
        normalization_rule_name="identity",  # byte characters must stay as they are
    )  # fmt: skip
    bpe = ByteBPE(ByteBPEConfig(sentencepiece_model_path=str(tmp_path / "bb.model")))
    for line in ["Ein Mädchen läuft", "Männer über Fußball"]:
        pieces = bpe.encode(line)
        assert len(pieces.split()) < len(byte_encode(line))  # merged bytes
        assert bpe.decode(pieces) == " " + line  # sentencepiece's leading space, as fairseq
