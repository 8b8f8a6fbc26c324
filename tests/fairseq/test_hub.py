"""fairseq's hub API over a fairseq model folder: the translations fairseq-interactive
printed, and the helpers of its interface."""

import shutil

import pytest
import torch

from seqx.errors import SeqxError
from seqx.hub import from_pretrained


def test_translate_gives_fairseq_interactives_translations(fairseq_dir, model_dir):
    from seqx_transformer.model import TransformerModel

    hub = TransformerModel.from_pretrained(
        str(model_dir), checkpoint_file="model.pt", data_name_or_path=".",
        tokenizer="moses", bpe="subword_nmt", source_lang="en", target_lang="de",
    )  # fmt: skip
    sources = (fairseq_dir / "text" / "raw-test.en").read_text().splitlines()[:6]
    lines = (fairseq_dir / "transformer.interactive.txt").read_text().splitlines()
    expected = [line.split("\t")[2] for line in lines if line.startswith("D-")][:6]
    assert hub.translate(sources) == expected
    assert hub.translate(sources[0], beam=5) == expected[0]
    hypos = hub.generate([hub.encode(sources[0])], beam=5)[0]
    assert len(hypos) == 5 and hub.decode(hypos[0]["tokens"]) == expected[0]
    assert hub.cpu().device == torch.device("cpu")


def test_the_interface_helpers_compose(model_dir):
    hub = from_pretrained(str(model_dir), bpe="subword_nmt", tokenizer="moses")
    assert hub.tokenize("A dog's toy.") == "A dog &apos;s toy ."
    assert hub.apply_bpe("orange") == "oran@@ ge"
    assert hub.remove_bpe("oran@@ ge") == "orange"
    ids = hub.encode("orange")
    assert ids[-1].item() == hub.src_dict.eos() and len(ids) == 3
    with pytest.raises(SeqxError, match="not an option of the search"):
        hub.translate("A dog.", beem=4)


def test_language_model_scores_and_clear_errors(fairseq_dir, tmp_path):
    folder = tmp_path / "lm"
    folder.mkdir()
    shutil.copy(fairseq_dir / "lstm_lm.pt", folder / "model.pt")
    shutil.copy(fairseq_dir / "lm-bin" / "dict.txt", folder)
    hub = from_pretrained(str(folder))
    scored = hub.score("First Citizen :")
    assert scored["positional_scores"].shape == scored["tokens"].shape
    assert scored["score"] == pytest.approx(scored["positional_scores"].mean().item())
    assert bool((scored["positional_scores"] < 0).all())
    with pytest.raises(SeqxError, match="encoder-decoder"):
        hub.translate("First Citizen")
    with pytest.raises(SeqxError, match="is not a model folder"):
        from_pretrained(str(tmp_path / "missing"))


def test_a_seqx_checkpoint_loads_the_same_way(fairseq_dir, tmp_path):
    folder = tmp_path / "seqx-model"
    folder.mkdir()
    shutil.copy(fairseq_dir / "export" / "transformer.seqx.pt", folder / "checkpoint_best.pt")
    hub = from_pretrained(
        str(folder), "checkpoint_best.pt", str(fairseq_dir / "data-bin"), source_lang="en"
    )
    sources = (fairseq_dir / "text" / "test.en").read_text().splitlines()
    lines = (fairseq_dir / "export" / "transformer.fairseq-generate.txt").read_text()
    expected = {
        int(f[0][2:]): f[2] for f in (x.split("\t") for x in lines.splitlines()) if f[0][:2] == "H-"
    }
    assert hub.translate(sources, beam=5) == [expected[i] for i in range(len(sources))]
