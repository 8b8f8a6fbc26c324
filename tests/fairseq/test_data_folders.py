"""Data folders written by fairseq-preprocess load in seqx, and seqx preprocess writes
the same bytes fairseq does (fixtures in tests/fixtures/fairseq, written by fairseq)."""

import filecmp
import shutil

import pytest

from seqx.data.dictionary import Dictionary
from seqx.data.folder import folder_format
from seqx.plugins import load_plugins
from seqx.testing.cli import run_seqx


def _load(fmt_name, prefix, dictionary):
    fmt = load_plugins().registry.get("dataset_format", fmt_name).load()(None)
    return fmt.load(str(prefix), dictionary)


@pytest.mark.parametrize("split", ["valid", "test"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_fairseq_mmap_and_lazy_folders_hold_the_encoded_text(fairseq_dir, split, lang):
    d = Dictionary.load(str(fairseq_dir / "data-bin" / f"dict.{lang}.txt"))
    lines = (fairseq_dir / "text" / f"{split}.{lang}").read_text().splitlines()
    expected = [d.encode_line(line, add_if_not_exist=False).tolist() for line in lines]
    assert folder_format(str(fairseq_dir / "data-bin")) == "mmap"
    assert folder_format(str(fairseq_dir / "data-bin-lazy")) == "cached"
    for folder, fmt in (
        ("data-bin", "mmap"),
        ("data-bin-lazy", "lazy"),
        ("data-bin-lazy", "cached"),
    ):
        ds = _load(fmt, fairseq_dir / folder / f"{split}.en-de.{lang}", d)
        assert [ds[i].tolist() for i in range(len(ds))] == expected
        assert ds.sizes.tolist() == [len(e) for e in expected]


def test_lm_folder_loads(fairseq_dir):
    d = Dictionary.load(str(fairseq_dir / "lm-bin" / "dict.txt"))
    ds = _load("mmap", fairseq_dir / "lm-bin" / "test", d)
    lines = (fairseq_dir / "text" / "lm-test.txt").read_text().splitlines()
    assert len(ds) == len(lines)
    assert ds[0].tolist() == d.encode_line(lines[0], add_if_not_exist=False).tolist()


def test_seqx_preprocess_writes_fairseqs_bytes(fairseq_dir, tmp_path):
    text = fairseq_dir / "text"
    for name in ("train", "valid", "test"):
        for lang in ("en", "de"):
            shutil.copy(text / f"{name}.{lang}", tmp_path / f"{name}.{lang}")
    dest = tmp_path / "bin"
    run_seqx(
        "preprocess", "--source-lang", "en", "--target-lang", "de",
        "--trainpref", tmp_path / "train", "--validpref", tmp_path / "valid",
        "--testpref", tmp_path / "test", "--destdir", dest, "--workers", "1",
    )  # fmt: skip
    theirs = sorted(p.name for p in (fairseq_dir / "data-bin").iterdir())
    assert len(theirs) == 14
    for name in theirs:
        assert filecmp.cmp(dest / name, fairseq_dir / "data-bin" / name, shallow=False), name


def test_seqx_trains_on_a_fairseq_folder(fairseq_dir, tmp_path):
    proc = run_seqx(
        "train", fairseq_dir / "data-bin", "--arch", "transformer_tiny",
        "--encoder-embed-dim", "16", "--encoder-ffn-embed-dim", "32", "--optimizer", "adam",
        "--lr", "0.001", "--max-tokens", "1000", "--max-update", "3", "--num-workers", "0",
        "--save-dir", tmp_path / "ckpt", "--log-format", "simple", "--no-save",
    )  # fmt: skip
    assert "done training" in proc.stderr
