"""Checkpoints fairseq-train wrote decode in seqx to fairseq's own output: the same S, T,
H and D lines and the same score line, scores equal up to float32 rounding."""

import os
import pickle
import shutil
import zipfile

import pytest
import torch

from seqx.checkpoint import read_checkpoint
from seqx.compat.fairseq.pickles import load_fairseq
from seqx.testing.cli import run_seqx


def assert_same_output(ours: str, theirs: str) -> None:
    """fairseq-generate/-interactive lines: text equal, scores within float32 rounding."""
    a, b = ours.strip().splitlines(), theirs.strip().splitlines()
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        fx, fy = x.split("\t"), y.split("\t")
        assert fx[0] == fy[0], (x, y)
        if fx[0][:2] in ("H-", "D-"):
            assert fx[2] == fy[2], (x, y)
            assert float(fx[1]) == pytest.approx(float(fy[1]), abs=2e-6), (x, y)
        elif fx[0][:2] == "P-":
            px, py = map(float, fx[1].split()), map(float, fy[1].split())
            assert all(abs(p - q) <= 1.5e-4 for p, q in zip(px, py, strict=True)), (x, y)
        elif fx[0][:2] == "W-":
            assert fx[2] == fy[2]
        else:
            assert x == y


def _generate(seqx, fairseq_dir, checkpoint, data="data-bin", *extra):
    return seqx(
        "generate", fairseq_dir / data, "--path", fairseq_dir / checkpoint,
        "--gen-subset", "test", "--beam", "5", "--batch-size", "16", *extra,
    ).stdout  # fmt: skip


@pytest.mark.parametrize(
    "checkpoint, expected",
    [
        ("transformer.pt", "transformer.generate.txt"),
        ("transformer.omegaconf.pt", "transformer.generate.txt"),
        ("lstm.pt", "lstm.generate.txt"),
        ("lstm.args.pt", "lstm.generate.txt"),
        ("fconv.pt", "fconv.generate.txt"),
    ],
)
def test_generate_matches_fairseq_generate(fairseq_dir, checkpoint, expected, seqx):
    ours = _generate(seqx, fairseq_dir, checkpoint)
    assert_same_output(ours, (fairseq_dir / expected).read_text())


def test_generate_with_remove_bpe_and_nbest_on_a_lazy_folder(fairseq_dir, seqx):
    ours = _generate(
        seqx, fairseq_dir, "transformer.pt", "data-bin-lazy", "--remove-bpe", "--nbest", "2"
    )
    assert "@@" not in ours
    assert_same_output(ours, (fairseq_dir / "transformer.generate-lazy.txt").read_text())


def test_eval_lm_matches_fairseq_eval_lm(fairseq_dir, seqx):
    proc = seqx(
        "eval-lm", fairseq_dir / "lm-bin", "--path", fairseq_dir / "lstm_lm.pt",
        "--gen-subset", "test", "--tokens-per-sample", "64", "--max-tokens", "512",
    )  # fmt: skip
    theirs = (fairseq_dir / "lstm_lm.eval-lm.txt").read_text().splitlines()
    assert theirs[0].split(" in ")[0] in proc.stdout  # Evaluated 484 tokens
    assert theirs[1] in proc.stdout  # Loss (base 2): 5.6464, Perplexity: 50.09


def test_every_layout_imports_to_the_same_weights(fairseq_dir):
    new = read_checkpoint(str(fairseq_dir / "transformer.pt"))
    old = read_checkpoint(str(fairseq_dir / "transformer.omegaconf.pt"))
    assert new["config"]["model"] == old["config"]["model"]
    assert new["model"].keys() == old["model"].keys()
    assert all(torch.equal(new["model"][k], old["model"][k]) for k in new["model"])
    legacy = fairseq_dir / "lstm.args.pt"
    assert not zipfile.is_zipfile(legacy)  # torch's format before 1.6
    a, b = read_checkpoint(str(fairseq_dir / "lstm.pt")), read_checkpoint(str(legacy))
    assert a["config"]["model"] == b["config"]["model"]
    assert a["config"]["model"]["_arch"] == "lstm" and a["imported"]["num_updates"] == 300


class _Payload:
    def __reduce__(self):
        return (os.system, ("touch ran-from-the-pickle",))


def test_a_checkpoint_with_any_other_class_is_refused_and_nothing_runs(
    fairseq_dir, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    state = torch.load(fairseq_dir / "lstm.pt", weights_only=False)  # trusted fixture
    state["extra_state"]["hook"] = _Payload()
    torch.save(state, tmp_path / "evil.pt")
    with pytest.raises(pickle.UnpicklingError):
        load_fairseq(str(tmp_path / "evil.pt"))
    proc = run_seqx(
        "generate", fairseq_dir / "data-bin", "--path", tmp_path / "evil.pt", check=False
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "cannot be read safely" in proc.stderr and "system" in proc.stderr
    assert not (tmp_path / "ran-from-the-pickle").exists()


def _plain_copy(fairseq_dir, tmp_path, **model_options):
    """lstm.pt as plain data (no pickled objects) with some model options changed."""
    state = load_fairseq(str(fairseq_dir / "lstm.pt"))
    state["cfg"]["model"].update(model_options)
    torch.save(state, tmp_path / "changed.pt")
    return tmp_path / "changed.pt"


def test_an_arch_seqx_lacks_is_named_with_what_imports(fairseq_dir, tmp_path, seqx):
    path = _plain_copy(fairseq_dir, tmp_path, arch="bart_large")
    proc = seqx("generate", fairseq_dir / "data-bin", "--path", path, check=False)
    assert proc.returncode == 1
    assert "is a 'bart_large' model, which no installed plugin provides" in proc.stderr
    assert "lstm_wiseman_iwslt_de_en" in proc.stderr and "transformer_iwslt_de_en" in proc.stderr


def test_an_option_seqx_lacks_is_refused_by_name(fairseq_dir, tmp_path, seqx):
    state = load_fairseq(str(fairseq_dir / "transformer.pt"))
    state["cfg"]["model"]["no_cross_attention"] = True
    torch.save(state, tmp_path / "changed.pt")
    proc = seqx(
        "generate", fairseq_dir / "data-bin", "--path", tmp_path / "changed.pt", check=False
    )
    assert proc.returncode == 1
    assert "was trained with --no-cross-attention True" in proc.stderr


def test_an_imported_checkpoint_fine_tunes_but_does_not_resume(fairseq_dir, tmp_path):
    common = (
        "train", fairseq_dir / "data-bin", "--arch", "lstm", "--encoder-embed-dim", "64",
        "--encoder-hidden-size", "64", "--decoder-embed-dim", "64", "--decoder-hidden-size",
        "64", "--decoder-out-embed-dim", "64", "--encoder-bidirectional", "--optimizer",
        "adam", "--lr", "0.001", "--max-tokens", "1500", "--max-update", "2",
        "--num-workers", "0", "--log-format", "simple", "--no-save",
    )  # fmt: skip
    proc = run_seqx(
        *common, "--save-dir", tmp_path / "a", "--finetune-from-model", fairseq_dir / "lstm.pt"
    )
    assert "loaded the model weights of" in proc.stderr
    proc = run_seqx(
        *common, "--save-dir", tmp_path / "b", "--restore-file", fairseq_dir / "lstm.pt",
        check=False,
    )  # fmt: skip
    assert proc.returncode == 1 and "--finetune-from-model" in proc.stderr


def test_interactive_with_moses_and_subword_nmt_matches_fairseq_interactive(
    fairseq_dir, model_dir, seqx
):
    """The command fairseq-interactive ran, with its flags as they were."""
    model = model_dir
    ours = seqx(
        "interactive", "--path", model / "model.pt", model, "--beam", "5",
        "--source-lang", "en", "--target-lang", "de", "--tokenizer", "moses",
        "--bpe", "subword_nmt", "--bpe-codes", model / "bpecodes",
        "--input", fairseq_dir / "text" / "raw-test.en",
    ).stdout  # fmt: skip
    assert_same_output(ours, (fairseq_dir / "transformer.interactive.txt").read_text())


def test_model_overrides_must_be_a_dict_of_known_options(fairseq_dir, seqx):
    def run(value):
        return seqx(
            "generate", fairseq_dir / "data-bin", "--path", fairseq_dir / "lstm.pt",
            "--model-overrides", value, "--quiet", check=False,
        )  # fmt: skip

    proc = run("{'max_source_positions': 5")
    assert proc.returncode == 1 and "is not a Python dict" in proc.stderr
    proc = run("{'no_such_option': 1}")
    assert proc.returncode == 1 and "'no_such_option' is not an option of" in proc.stderr
    proc = run("{'max_source_positions': 5}")  # every test sentence is longer
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


def test_fp16_and_bf16_decode_close_to_float32(fairseq_dir, seqx):
    theirs = {
        line.split("\t")[0]: line.split("\t")[2]
        for line in (fairseq_dir / "transformer.generate.txt").read_text().splitlines()
        if line.startswith("H-")
    }
    for flag in ("--fp16", "--bf16"):
        ours = _generate(seqx, fairseq_dir, "transformer.pt", "data-bin", flag)
        hypos = [line.split("\t") for line in ours.splitlines() if line.startswith("H-")]
        assert len(hypos) == 40
        assert sum(h[2] == theirs[h[0]] for h in hypos) >= 30, flag
    proc = seqx(
        "generate", fairseq_dir / "data-bin", "--path", fairseq_dir / "lstm.pt", "--fp16",
        "--int8", check=False,
    )  # fmt: skip
    assert proc.returncode == 1 and "choose one of --fp16, --int8" in proc.stderr


def test_broken_files_and_other_dictionaries_are_named(fairseq_dir, tmp_path, seqx):
    data = (fairseq_dir / "transformer.pt").read_bytes()
    (tmp_path / "truncated.pt").write_bytes(data[: len(data) // 2])
    (tmp_path / "notes.pt").write_text("not a checkpoint\n")

    def generate(path, folder="data-bin"):
        return seqx("generate", fairseq_dir / folder, "--path", path, check=False)

    proc = generate(tmp_path / "truncated.pt")
    assert proc.returncode == 1 and "is truncated or corrupted" in proc.stderr
    proc = generate(tmp_path / "notes.pt")
    assert proc.returncode == 1 and "is not a checkpoint" in proc.stderr
    # a folder whose dictionaries are other than the model's: by size, as fairseq
    # checkpoints record no dictionary ...
    mixed = tmp_path / "mixed"
    shutil.copytree(fairseq_dir / "data-bin", mixed)
    shutil.copy(fairseq_dir / "lm-bin" / "dict.txt", mixed / "dict.de.txt")
    proc = seqx("generate", mixed, "--path", fairseq_dir / "lstm.pt", check=False)
    assert proc.returncode == 1 and "dictionary of 624 symbols" in proc.stderr
    # ... and by content once seqx convert --data recorded them
    seqx(
        "convert", fairseq_dir / "lstm.pt", tmp_path / "lstm.pt", "--data", fairseq_dir / "data-bin"
    )
    lines = (fairseq_dir / "data-bin" / "dict.de.txt").read_text().splitlines()
    lines[10], lines[11] = lines[11], lines[10]
    (mixed / "dict.de.txt").write_text("\n".join(lines) + "\n")
    proc = seqx("generate", mixed, "--path", tmp_path / "lstm.pt", check=False)
    assert proc.returncode == 1 and "another target dictionary" in proc.stderr
