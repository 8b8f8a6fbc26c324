"""seqx's checkpoints written as fairseq's: fairseq-generate decoded the export of each
family to the hypotheses seqx gives (tests/fixtures/fairseq/export, made by real fairseq
with make_exports.sh), and seqx convert still writes those files; a fairseq checkpoint
imported and exported again is fairseq's own."""

import pytest
import torch

from seqx.compat.fairseq.pickles import load_fairseq

from .test_checkpoints import assert_same_output

FAMILIES = ("transformer", "lstm", "fconv")


@pytest.mark.parametrize("name", FAMILIES)
def test_fairseq_decodes_the_export_to_seqxs_hypotheses(fairseq_dir, name, seqx):
    ours = seqx(
        "generate", fairseq_dir / "data-bin", "--path", fairseq_dir / "export" / f"{name}.seqx.pt",
        "--gen-subset", "test", "--beam", "5", "--batch-size", "16",
    ).stdout  # fmt: skip
    theirs = (fairseq_dir / "export" / f"{name}.fairseq-generate.txt").read_text()
    assert_same_output(ours, theirs)


@pytest.mark.parametrize("name", FAMILIES)
def test_convert_writes_the_file_fairseq_decoded(fairseq_dir, tmp_path, name, seqx):
    out = tmp_path / "out.pt"
    proc = seqx("convert", fairseq_dir / "export" / f"{name}.seqx.pt", out, "--to", "fairseq")
    assert f"a fairseq checkpoint of model '{name}'" in proc.stdout
    new, old = (
        load_fairseq(str(out)),
        load_fairseq(str(fairseq_dir / "export" / f"{name}.fairseq.pt")),
    )
    assert new["args"] == old["args"]
    assert list(new["model"]) == list(old["model"])
    assert all(torch.equal(new["model"][k], old["model"][k]) for k in new["model"])


@pytest.mark.parametrize("name", ["transformer", "lstm", "fconv", "lstm_lm"])
def test_a_fairseq_checkpoint_comes_back_as_fairseqs_own(fairseq_dir, tmp_path, name, seqx):
    seqx("convert", fairseq_dir / f"{name}.pt", tmp_path / "seqx.pt")
    seqx("convert", tmp_path / "seqx.pt", tmp_path / "back.pt", "--to", "fairseq")
    original = load_fairseq(str(fairseq_dir / f"{name}.pt"))
    back = load_fairseq(str(tmp_path / "back.pt"))
    stale = ("_float_tensor", "in_proj_weight", "in_proj_bias", "out_proj_weight")
    stale += ("out_proj_bias", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias")
    assert set(back["model"]) == set(original["model"])
    for key, tensor in original["model"].items():
        if not key.endswith(stale):  # fairseq rebuilds these on load
            assert torch.equal(back["model"][key], tensor), key
    options = original["cfg"]["model"]
    for key, value in back["args"].items():
        if key in options and key not in ("data", "_name"):
            assert value == options[key] or (value, options[key]) == (None, "10000,50000,200000"), (
                key
            )
