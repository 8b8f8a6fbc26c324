"""hf_byte_bpe: Hugging Face tokenizers' byte-level BPE, encoding as fairseq 0.12.2's does
(tests/fixtures/hf_byte_bpe: a tiny vocabulary and fairseq's encodings, make_tiny.py)."""

import json
from pathlib import Path

import pytest

from seqx.errors import SeqxError
from seqx.testing import BPEConformance

pytest.importorskip("tokenizers")
FILES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "hf_byte_bpe"
GOLDEN = json.loads((FILES / "golden.json").read_text(encoding="utf-8"))


def _config(**kw):
    from seqx_data.configs import HFByteBPEConfig

    files = {"bpe_vocab": str(FILES / "vocab.json"), "bpe_merges": str(FILES / "merges.txt")}
    return HFByteBPEConfig(**{**files, **kw})


class TestHFByteBPE(BPEConformance):
    plugin = "seqx_data.plugin"
    name = "hf_byte_bpe"
    samples = [" the lazy dog", " the brother"]

    @pytest.fixture
    def config(self):
        return _config()


@pytest.mark.parametrize("prefix_space", [False, True])
def test_encodings_are_fairseqs(prefix_space):
    from seqx_data.hf_byte_bpe import HFByteBPE

    bpe = HFByteBPE(_config(bpe_add_prefix_space=prefix_space))
    want = GOLDEN["add_prefix_space"][str(prefix_space)]
    assert [bpe.encode(t) for t in GOLDEN["texts"]] == want["encoded"]
    assert bpe.encode_lines(GOLDEN["texts"]) == want["encoded"]
    assert [bpe.decode(e) for e in want["encoded"]] == want["decoded"]


def test_preprocess_learns_a_model(tmp_path):
    from seqx_data.configs import HFByteBPEConfig
    from seqx_data.hf_byte_bpe import HFByteBPE

    text = tmp_path / "train.txt"
    text.write_text("a man rides a bike\ntwo dogs play in the snow\n" * 20)
    learned = HFByteBPE.learn(HFByteBPEConfig(), [str(text)], str(tmp_path / "hf"), 300)
    bpe = HFByteBPE(learned)
    assert bpe.decode(bpe.encode("two dogs play")) == "two dogs play"
    assert len(bpe.encode("two dogs play").split()) < len("two dogs play")


def test_missing_files_name_the_flag(tmp_path):
    from seqx_data.hf_byte_bpe import HFByteBPE

    with pytest.raises(SeqxError, match="needs --bpe-vocab PATH"):
        HFByteBPE(_config(bpe_vocab=None))
    with pytest.raises(SeqxError, match="--bpe-merges '.*' does not exist"):
        HFByteBPE(_config(bpe_merges=str(tmp_path / "merges.txt")))
