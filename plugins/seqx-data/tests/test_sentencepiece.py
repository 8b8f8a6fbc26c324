import pytest

from seqx.testing import BPEConformance

TEXT = [
    "a man is riding a bike down the street",
    "two dogs play in the snow near a tree",
    "a woman in a red hat sells fruit at the market",
    "children are playing soccer in a green field",
] * 20


@pytest.fixture(scope="module")
def learned(tmp_path_factory):
    from seqx_data.configs import SentencepieceConfig
    from seqx_data.sentencepiece_bpe import SentencepieceBPE

    folder = tmp_path_factory.mktemp("spm")
    text = folder / "train.txt"
    text.write_text("\n".join(TEXT) + "\n")
    return SentencepieceBPE.learn(
        SentencepieceConfig(), [str(text)], str(folder / "sentencepiece"), vocab_size=40
    )


class TestSentencepiece(BPEConformance):
    plugin = "seqx_data.plugin"
    name = "sentencepiece"

    @pytest.fixture
    def config(self, learned):
        return learned


def test_learned_model_is_kept_and_segments(learned):
    from seqx_data.sentencepiece_bpe import SentencepieceBPE

    assert learned.sentencepiece_model.endswith("sentencepiece.model")
    bpe = SentencepieceBPE(learned)
    pieces = bpe.encode("a man is riding a bike").split()
    assert pieces[0].startswith("\u2581") and len(pieces) >= 6


def test_missing_model_is_a_clear_error():
    from seqx.errors import SeqxError
    from seqx_data.configs import SentencepieceConfig
    from seqx_data.sentencepiece_bpe import SentencepieceBPE

    with pytest.raises(SeqxError, match="needs --sentencepiece-model"):
        SentencepieceBPE(SentencepieceConfig())
    with pytest.raises(SeqxError, match="does not exist"):
        SentencepieceBPE(SentencepieceConfig(sentencepiece_model="/no/such.model"))
