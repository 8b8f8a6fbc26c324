from pathlib import Path

import pytest

from seqx.errors import SeqxError
from seqx.testing import BPEConformance

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "fairseq"
TEXT = [
    "a man is riding a bike down the street",
    "two dogs play in the snow near a tree",
    "a woman in a red hat sells fruit at the market",
] * 20


@pytest.fixture(scope="module")
def learned(tmp_path_factory):
    from seqx_data.configs import SubwordNMTConfig
    from seqx_data.subword_nmt_bpe import SubwordNMTBPE

    folder = tmp_path_factory.mktemp("bpe")
    text = folder / "train.txt"
    text.write_text("\n".join(TEXT) + "\n")
    return SubwordNMTBPE.learn(SubwordNMTConfig(), [str(text)], str(folder / "bpe"), 200)


class TestSubwordNMT(BPEConformance):
    plugin = "seqx_data.plugin"
    name = "subword_nmt"

    @pytest.fixture
    def config(self, learned):
        return learned

    def test_first_unit_begins_a_word(self, bpe):
        with pytest.raises(SeqxError, match="one unit alone does not tell"):
            bpe.is_beginning_of_word("ri@@")


def test_learned_codes_split_rare_words(learned):
    from seqx_data.subword_nmt_bpe import SubwordNMTBPE

    assert learned.bpe_codes.endswith("bpe.codes")
    bpe = SubwordNMTBPE(learned)
    assert bpe.encode("a man is riding") == "a man is riding"  # learned whole
    assert "@@ " in bpe.encode("a mariner")


def test_codes_subword_nmt_wrote_segment_as_subword_nmt_did():
    from seqx_data.configs import SubwordNMTConfig
    from seqx_data.subword_nmt_bpe import SubwordNMTBPE

    bpe = SubwordNMTBPE(SubwordNMTConfig(bpe_codes=str(FIXTURES / "bpecodes")))
    segmented = (FIXTURES / "text" / "test.en").read_text().splitlines()
    words = [bpe.decode(line) for line in segmented]
    assert [bpe.encode(w) for w in words] == segmented
    assert bpe.decode("oran@@ ge hat") == "orange hat"


def test_missing_or_wrong_codes_are_clear_errors(tmp_path):
    from seqx_data.configs import SubwordNMTConfig
    from seqx_data.subword_nmt_bpe import SubwordNMTBPE

    with pytest.raises(SeqxError, match="needs --bpe-codes"):
        SubwordNMTBPE(SubwordNMTConfig())
    with pytest.raises(SeqxError, match="does not exist"):
        SubwordNMTBPE(SubwordNMTConfig(bpe_codes=str(tmp_path / "none")))
