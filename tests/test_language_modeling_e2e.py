"""Language modeling through the CLI: preprocess --only-source, train lstm_lm, eval-lm."""

import os
import re

import pytest

from seqx.testing.cli import run_seqx as seqx
from seqx.testing.corpus import write_corpus

TRAIN = [
    "--task",
    "language_modeling",
    "--arch",
    "lstm_lm",
    "--decoder-embed-dim",
    "32",
    "--decoder-out-embed-dim",
    "32",
    "--tokens-per-sample",
    "48",
    "--sample-break-mode",
    "complete",
    "--optimizer",
    "adam",
    "--lr",
    "0.01",
    "--max-tokens",
    "1024",
    "--log-format",
    "simple",
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("lm")
    write_corpus(str(root / "raw"), train=300, valid=30, test=30, seed=2)
    seqx(
        "preprocess",
        "--only-source",
        "--trainpref",
        root / "raw" / "train.en",
        "--validpref",
        root / "raw" / "valid.en",
        "--testpref",
        root / "raw" / "test.en",
        "--destdir",
        root / "bin",
    )
    run = seqx("train", root / "bin", *TRAIN, "--max-epoch", "4", "--save-dir", root / "ck")
    return root, run.stderr


def _valid_losses(log):
    return [float(x) for x in re.findall(r"valid on 'valid' subset \| loss ([\d.]+)", log)]


def test_only_source_without_language_writes_fairseqs_layout(trained):
    root, _ = trained
    names = set(os.listdir(root / "bin"))
    assert {"dict.txt", "train.bin", "train.idx", "valid.bin", "test.idx"} <= names
    assert not [n for n in names if n.startswith("dict.") and n != "dict.txt"]


def test_language_model_learns(trained):
    _, log = trained
    losses = _valid_losses(log)
    assert len(losses) == 4
    assert losses[-1] < losses[0] - 0.5, losses


def test_eval_lm_equals_the_validation_loss(trained):
    root, log = trained
    out = seqx(
        "eval-lm",
        root / "bin",
        "--path",
        root / "ck" / "checkpoint_last.pt",
        "--gen-subset",
        "valid",
    ).stdout
    m = re.search(r"Loss \(base 2\): ([\d.]+), Perplexity: ([\d.]+)", out)
    assert m, out
    assert float(m.group(1)) == pytest.approx(_valid_losses(log)[-1], abs=1e-3)
    assert float(m.group(2)) == pytest.approx(2 ** float(m.group(1)), rel=1e-3)
    assert re.search(r"Evaluated \d+ tokens in", out)


def test_eval_lm_with_amp_is_close_to_float32(trained):
    root, _ = trained

    def loss(*extra):
        out = seqx(
            "eval-lm", root / "bin", "--path", root / "ck" / "checkpoint_last.pt",
            "--gen-subset", "valid", *extra,
        ).stdout  # fmt: skip
        m = re.search(r"Loss \(base 2\): ([\d.]+)", out)
        assert m, out
        return float(m.group(1))

    assert loss("--amp") == pytest.approx(loss(), rel=0.02)


def test_eval_lm_of_shorter_blocks_and_an_ensemble(trained):
    root, _ = trained
    ck = root / "ck"
    out = seqx(
        "eval-lm",
        root / "bin",
        "--path",
        f"{ck / 'checkpoint_last.pt'}{os.pathsep}{ck / 'checkpoint1.pt'}",
        "--tokens-per-sample",
        "8",
        "--sample-break-mode",
        "none",
    ).stdout
    assert "Perplexity:" in out


def test_language_with_s_keeps_the_language_in_file_names(tmp_path):
    write_corpus(str(tmp_path / "raw"), train=20, valid=5, test=5, seed=1)
    seqx(
        "preprocess",
        "--only-source",
        "-s",
        "en",
        "--trainpref",
        tmp_path / "raw" / "train",
        "--destdir",
        tmp_path / "bin",
    )
    assert {"dict.en.txt", "train.en-None.en.bin"} <= set(os.listdir(tmp_path / "bin"))
    run = seqx(
        "train",
        tmp_path / "bin",
        *TRAIN,
        "--max-update",
        "2",
        "--disable-validation",
        "--save-dir",
        tmp_path / "ck",
    )
    assert "done training" in run.stderr


def test_eval_lm_of_a_translation_model_says_what_to_use(trained, tmp_path):
    from seqx.testing.cli import tiny_data_bin

    data = tiny_data_bin(tmp_path, train=20, valid=5)
    seqx(
        "train",
        data,
        "--arch",
        "lstm",
        "--encoder-embed-dim",
        "8",
        "--decoder-embed-dim",
        "8",
        "--decoder-out-embed-dim",
        "8",
        "--optimizer",
        "sgd",
        "--lr",
        "0.1",
        "--max-tokens",
        "500",
        "--max-update",
        "1",
        "--disable-validation",
        "--save-dir",
        tmp_path / "ck",
    )
    run = seqx("eval-lm", data, "--path", tmp_path / "ck" / "checkpoint_last.pt", check=False)
    assert run.returncode != 0
    assert "trained with task 'translation'" in run.stderr and "Traceback" not in run.stderr


def test_bad_break_mode_names_the_flag(trained):
    root, _ = trained
    run = seqx("train", root / "bin", *TRAIN[:-4], "--sample-break-mode", "sentences", check=False)
    assert run.returncode != 0 and "--sample-break-mode" in run.stderr
    assert "Traceback" not in run.stderr


def test_generate_with_a_language_model_says_what_to_use(trained):
    root, _ = trained
    run = seqx(
        "generate", root / "bin", "--path", root / "ck" / "checkpoint_last.pt", check=False
    )  # fmt: skip
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "encoder-decoder models" in run.stderr and "score it with seqx eval-lm" in run.stderr
