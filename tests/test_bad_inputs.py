"""Bad inputs and faults as users make them, one row each: the exact outcome.

Every row runs one ``seqx`` command (in this process, as the command line does) after
an optional setup, and asserts its exit status, that its message names the file, line
or flag and says what to do, that no traceback is printed, and that nothing that
should survive was lost or changed.
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from seqx.cli.main import main
from seqx.locking import FolderLock
from seqx.plugins import load_plugins, set_plugin_manager
from seqx.testing.cli import run_seqx, tiny_data_bin

TRAIN = [
    "--arch", "transformer_tiny", "--encoder-embed-dim", "16", "--encoder-ffn-embed-dim", "32",
    "--share-all-embeddings", "--optimizer", "adam", "--lr", "0.005", "--max-tokens", "1024",
    "--num-workers", "0", "--log-format", "simple", "--log-interval", "1", "--seed", "2",
]  # fmt: skip


@dataclass
class World:
    """What the rows share (made once) and the row's own folder."""

    raw: Path
    bin: Path
    lm: Path
    ck: Path
    updates: int
    case: Path = Path()
    held: list[Any] = field(default_factory=list)

    def copy_bin(self, name: str = "bin") -> Path:
        dest = self.case / name
        shutil.copytree(self.bin, dest, ignore=shutil.ignore_patterns(".seqx-lock"))
        return dest

    def preprocess(self, dest: Path, *more: Any, raw: Path | None = None) -> list[str]:
        raw = raw or self.raw
        return [
            "preprocess", "-s", "de", "-t", "en", "--trainpref", raw / "train",
            "--validpref", raw / "valid", "--joined-dictionary", "--destdir", dest, *more,
        ]  # fmt: skip

    def raw_copy(self) -> Path:
        dest = self.case / "raw"
        shutil.copytree(self.raw, dest)
        return dest


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("bad-inputs")
    data = tiny_data_bin(root, train=120, valid=12, test=8, seed=5)
    run_seqx("train", data, *TRAIN, "--max-update", "3", "--save-dir", root / "ck")
    (root / "lm.txt").write_text("a b c d\nb c d e\nc d e f\n" * 10)
    run_seqx(
        "preprocess", "--only-source", "--trainpref", root / "lm.txt", "--validpref",
        root / "lm.txt", "--testpref", root / "lm.txt", "--destdir", root / "lm",
    )  # fmt: skip
    return World(root / "raw", data, root / "lm", root / "ck" / "checkpoint_last.pt", 3)


@pytest.fixture(autouse=True)
def installed_plugins(monkeypatch):
    for var in ("SEQX_LOAD_PLUGINS", "SEQX_DISABLE_PLUGINS", "SEQX_PLUGIN_PATH"):
        monkeypatch.delenv(var, raising=False)
    previous = set_plugin_manager(load_plugins())
    yield
    set_plugin_manager(previous)


def _patch_index(prefix: Path, sizes: list[int] | None = None, pointers: list[int] | None = None):
    raw = bytearray(prefix.with_suffix(".idx").read_bytes())
    (n,) = struct.unpack("<Q", raw[18:26])
    if sizes is not None:
        raw[26 : 26 + 4 * len(sizes)] = np.array(sizes, "<i4").tobytes()
    if pointers is not None:
        start = 26 + 4 * n
        raw[start : start + 8 * len(pointers)] = np.array(pointers, "<i8").tobytes()
    prefix.with_suffix(".idx").write_bytes(bytes(raw))


# -- setups -------------------------------------------------------------------------------


def _line(path: Path, lineno: int, text: str) -> None:
    lines = path.read_text().split("\n")
    lines[lineno - 1] = text
    path.write_text("\n".join(lines))


def permuted_dictionary(w: World) -> list[Any]:
    lines = (w.bin / "dict.de.txt").read_text().splitlines()
    lines[0], lines[1] = lines[1], lines[0]
    (w.case / "dict.txt").write_text("\n".join(lines) + "\n")
    run_seqx(
        "preprocess", "-s", "de", "-t", "en", "--testpref", w.raw / "test", "--srcdict",
        w.case / "dict.txt", "--joined-dictionary", "--destdir", w.case / "other",
    )  # fmt: skip
    return ["generate", w.case / "other", "--path", w.ck]


def stale_split(w: World) -> list[Any]:
    dest = w.case / "bin"
    run_seqx(*w.preprocess(dest, "--testpref", w.raw / "test"))
    return ["preprocess", "-s", "de", "-t", "en", "--trainpref", w.raw / "train",
            "--joined-dictionary", "--destdir", dest]  # fmt: skip


def no_stale_split(w: World, out: str) -> None:
    assert not [p for p in (w.case / "bin").iterdir() if p.name.startswith(("valid", "test"))]


def lone_cr(w: World) -> list[Any]:
    raw = w.raw_copy()
    _line(raw / "train.de", 3, (raw / "train.de").read_text().split("\n")[2].replace(" ", "\r", 1))
    return w.preprocess(w.case / "bin", "--dataset-impl", "raw", raw=raw)


def lone_cr_keeps_alignment(w: World, out: str) -> None:
    from seqx.data.dictionary import Dictionary
    from seqx_data.raw import RawFormat

    d = Dictionary.load(str(w.case / "bin" / "dict.de.txt"))
    de = RawFormat().load(str(w.case / "bin" / "train.de-en.de"), d)
    en = RawFormat().load(str(w.case / "bin" / "train.de-en.en"), d)
    assert len(de) == len(en) == 120
    assert "[de] train: 120 sents" in out and "[en] train: 120 sents" in out


def bom_text(w: World) -> list[Any]:
    raw = w.raw_copy()
    (raw / "train.de").write_bytes(b"\xef\xbb\xbf" + (raw / "train.de").read_bytes())
    return w.preprocess(w.case / "bin", raw=raw)


def no_bom_symbol(w: World, out: str) -> None:
    assert "\ufeff" not in (w.case / "bin" / "dict.de.txt").read_text()


def bom_srcdict(w: World) -> list[Any]:
    (w.case / "d.txt").write_bytes(b"\xef\xbb\xbf" + (w.bin / "dict.de.txt").read_bytes())
    return w.preprocess(w.case / "bin", "--srcdict", w.case / "d.txt")


def srcdict_kept(w: World, out: str) -> None:
    assert (w.case / "bin" / "dict.de.txt").read_bytes() == (w.bin / "dict.de.txt").read_bytes()
    assert "0.000% replaced by <unk>" in out


def control_char(w: World) -> list[Any]:
    raw = w.raw_copy()
    _line(raw / "train.de", 5, "ein\x00mann")
    w.copy_bin()
    return w.preprocess(w.case / "bin", raw=raw)


def empty_valid(w: World) -> list[Any]:
    raw = w.raw_copy()
    (raw / "valid.de").write_text("")
    (raw / "valid.en").write_text("")
    return w.preprocess(w.case / "bin", raw=raw)


def empty_valid_split_in_folder(w: World) -> list[Any]:
    from seqx_data.mmap import MMapFormat

    dest = w.copy_bin()
    (dest / "preprocess.json").unlink()  # as fairseq-preprocess writes a folder
    for lang in ("de", "en"):
        MMapFormat().writer(str(dest / f"valid.de-en.{lang}"), 100).finalize()
    return ["train", dest, *TRAIN, "--max-update", "1", "--save-dir", w.case / "ck"]


def locked_save_dir(w: World) -> list[Any]:
    save = w.case / "ck"
    save.mkdir()
    shutil.copy(w.ck, save / "checkpoint_last.pt")
    lock = FolderLock(str(save), "--save-dir")
    lock.acquire()
    w.held.append(lock)
    return ["train", w.bin, *TRAIN, "--max-update", "9", "--save-dir", save]


def negative_size(w: World) -> list[Any]:
    dest = w.copy_bin()
    _patch_index(dest / "valid.de-en.de.idx", sizes=[-5])
    return ["train", dest, *TRAIN, "--max-update", "1", "--save-dir", w.case / "ck"]


def pointer_past_end(w: World) -> list[Any]:
    dest = w.copy_bin()
    _patch_index(dest / "valid.de-en.en.idx", pointers=[0, 10**9])
    return ["train", dest, *TRAIN, "--max-update", "1", "--save-dir", w.case / "ck"]


def swapped_ids(w: World) -> list[Any]:
    dest = w.copy_bin()
    data = bytearray((dest / "valid.de-en.de.bin").read_bytes())
    data[0:2], data[2:4] = data[2:4], data[0:2]
    (dest / "valid.de-en.de.bin").write_bytes(bytes(data))
    return ["verify", dest]


def incomplete_folder(w: World) -> list[Any]:
    dest = w.copy_bin()
    (dest / ".preprocess-incomplete").write_text("")
    return ["generate", dest, "--path", w.ck]


def edited_dictionary(w: World) -> list[Any]:
    dest = w.copy_bin()
    text = (dest / "dict.de.txt").read_text().split("\n")
    text[0], text[1] = text[1], text[0]
    (dest / "dict.de.txt").write_text("\n".join(text))
    return ["generate", dest, "--path", w.ck]


def resized_file(w: World) -> list[Any]:
    dest = w.copy_bin()
    with open(dest / "test.de-en.en.bin", "ab") as f:
        f.write(b"\x00\x00")
    return ["generate", dest, "--path", w.ck]


def a_file(name: str) -> Callable[[World], Path]:
    def make(w: World) -> Path:
        (w.case / name).write_text("")
        return w.case / name

    return make


def two_shapes(w: World) -> list[Any]:
    torch.save({"model": {"w": torch.zeros(2)}}, w.case / "a.pt")
    torch.save({"model": {"w": torch.zeros(3)}}, w.case / "b.pt")
    return ["average-checkpoints", "--inputs", w.case / "a.pt", w.case / "b.pt", "--output",
            w.case / "avg.pt"]  # fmt: skip


def fairseq_inputs(w: World) -> list[Any]:
    torch.save({"model": {"w": torch.zeros(2)}}, w.case / "a.pt")
    torch.save({"model": {"w": torch.ones(2)}}, w.case / "b.pt")
    return ["average-checkpoints", "--inputs", w.case / "a.pt", w.case / "b.pt", "--output",
            w.case / "avg.pt"]  # fmt: skip


def averaged(w: World, out: str) -> None:
    assert torch.load(w.case / "avg.pt")["model"]["w"].tolist() == [0.5, 0.5]


def empty_scores(w: World) -> list[Any]:
    (w.case / "h").write_text("")
    (w.case / "r").write_text("")
    return ["score", "--sys", w.case / "h", "--ref", w.case / "r"]


def empty_hypotheses(w: World, out: str) -> None:
    hyps = [line for line in out.splitlines() if line.startswith("H-")]
    assert len(hyps) == 8 and all(line.count("\t") == 2 and line.endswith("\t") for line in hyps)


def random_checkpoint(w: World) -> list[Any]:
    (w.case / "c.pt").write_bytes(bytes(range(256)) * 8)
    return ["generate", w.bin, "--path", w.case / "c.pt"]


def relative_restore(w: World) -> list[Any]:
    shutil.copy(w.ck, w.case / "mine.pt")
    os.chdir(w.case)
    return ["train", w.bin, *TRAIN, "--max-update", w.updates + 1, "--save-dir", "save",
            "--restore-file", "mine.pt"]  # fmt: skip


def stale_temporary(w: World) -> list[Any]:
    (w.case / "ck").mkdir()
    (w.case / "ck" / ".tmp-k9l2.pt").write_bytes(b"left by kill -9")
    return ["train", w.bin, *TRAIN, "--max-update", "1", "--save-dir", w.case / "ck"]


def no_temporary(w: World, out: str) -> None:
    assert not (w.case / "ck" / ".tmp-k9l2.pt").exists()
    assert (w.case / "ck" / "checkpoint_last.pt").is_file()


def overlong_line(skip: bool) -> Callable[[World], list[Any]]:
    def setup(w: World) -> list[Any]:
        (w.case / "in.txt").write_text("ein mann .\n" + "mann " * 2000 + "\nzwei hunde .\n")
        more = ["--skip-invalid-size-inputs-valid-test"] if skip else []
        return ["interactive", w.bin, "--path", w.ck, "--input", w.case / "in.txt", *more]

    return setup


def two_of_three_translated(w: World, out: str) -> None:
    assert sorted(line.split("\t")[0] for line in out.splitlines() if line.startswith("S-")) == [
        "S-0",
        "S-2",
    ]


def raw_folder(w: World) -> list[Any]:
    run_seqx(*w.preprocess(w.case / "bin", "--dataset-impl", "raw"))
    return ["train", w.case / "bin", *TRAIN, "--max-update", "1", "--save-dir", w.case / "ck"]


def gen(*more: Any) -> Callable[[World], list[Any]]:
    return lambda w: ["generate", w.bin, "--path", w.ck, *more]


def train(*more: Any) -> Callable[[World], list[Any]]:
    return lambda w: ["train", w.bin, *TRAIN, "--save-dir", w.case / "ck", *more]


@dataclass
class Case:
    name: str
    """The row's id."""
    command: Callable[[World], list[Any]]
    """Makes what the row needs in ``World.case`` and returns the command's arguments."""
    code: int
    """The exit status."""
    says: tuple[str, ...] = ()
    """Fragments of the output (stderr and stdout), ``{case}`` standing for the row's folder."""
    check: Callable[[World, str], None] | None = None
    """More assertions on the outcome (given the output)."""
    unchanged: tuple[str, ...] = ()
    """Files under the row's folder whose bytes the command must leave as they were."""


CASES = [
    # silent wrong results and lost work
    Case("stale splits after a rerun", stale_split, 0, check=no_stale_split),
    Case("same-size dictionary", permuted_dictionary, 1,
         ("trained with another source dictionary than '{case}/other/dict.de.txt'",
          "give the data folder the model was trained on")),
    Case("lone carriage return", lone_cr, 0, check=lone_cr_keeps_alignment),
    Case("byte-order mark in text", bom_text, 0, check=no_bom_symbol),
    Case("byte-order mark in --srcdict", bom_srcdict, 0, check=srcdict_kept),
    Case("control character", control_char, 1,
         ("--trainpref: '{case}/raw/train.de', line 5: control character U+0000 at column 4",
          "remove it"),
         unchanged=("bin/dict.de.txt", "bin/train.de-en.de.bin", "bin/preprocess.json")),
    Case("empty validation text", empty_valid, 1,
         ("--validpref: 'valid' split's file '{case}/raw/valid.de' is empty",)),
    Case("empty validation split", empty_valid_split_in_folder, 1,
         ("the validation split 'valid' is empty", "--disable-validation")),
    Case("save dir in use", locked_save_dir, 1,
         ("--save-dir '{case}/ck' is in use by ", "pid ", "give another --save-dir"),
         unchanged=("ck/checkpoint_last.pt",)),
    Case("negative size in an index", negative_size, 1,
         ("'{case}/bin/valid.de-en.de.idx' is corrupted: sequence 0 has size -5",)),
    Case("pointer past the data", pointer_past_end, 1,
         ("'{case}/bin/valid.de-en.en.idx' is corrupted: sequence 1 starts at byte 1000000000",)),
    Case("ids swapped in place", swapped_ids, 1,
         ("{case}/bin/valid.de-en.de.bin: checksum differs",)),
    Case("half-replaced folder", incomplete_folder, 1,
         ("data folder '{case}/bin' is incomplete", "run that seqx preprocess again")),
    Case("dictionary edited after preprocess", edited_dictionary, 1,
         ("dictionary '{case}/bin/dict.de.txt' is not the one seqx preprocess encoded",)),
    Case("data file grown", resized_file, 1,
         ("'{case}/bin/test.de-en.en.bin' has ", "but seqx preprocess wrote")),
    # raw tracebacks before
    Case("negative --lr", train("--lr", "-1"), 2, ("--lr must be at least 0, got -1",)),
    Case("--nbest above --beam", gen("--beam", "2", "--nbest", "3"), 2,
         ("--nbest 3 is more than --beam 2",)),
    Case("--destdir is a file",
         lambda w: w.preprocess(a_file("dest")(w)), 1, ("--destdir '{case}/dest' is a file",)),
    Case("--results-path is a file", lambda w: [*gen()(w), "--results-path", a_file("r")(w)], 1,
         ("--results-path '{case}/r' is a file",)),
    Case("--buffer-size 0",
         lambda w: ["interactive", w.bin, "--path", w.ck, "--buffer-size", "0"], 2,
         ("--buffer-size must be at least 1, got 0",)),
    Case("average of two shapes", two_shapes, 1, ("holds w of shape (3,)", "of (2,)")),
    Case("score of two empty files", empty_scores, 1, ("are both empty: nothing to score",)),
    # values accepted before
    Case("--max-tokens 0", train("--max-tokens", "0"), 2, ("--max-tokens must be at least 1",)),
    Case("--batch-size 0", train("--batch-size", "0"), 2, ("--batch-size must be at least 1",)),
    Case("--beam 0", gen("--beam", "0"), 2, ("--beam must be at least 1, got 0",)),
    Case("--max-len-b 0", gen("--max-len-b", "0"), 0, check=empty_hypotheses),
    Case("--max-epoch -1", train("--max-epoch", "-1"), 2,
         ("--max-epoch must be at least 0 (0: no limit), got -1",)),
    # vague messages before
    Case("random bytes as a checkpoint", random_checkpoint, 1,
         ("'{case}/c.pt' is not a checkpoint (not a file torch.save writes)",)),
    Case("a folder as --path", lambda w: ["generate", w.bin, "--path", w.case], 1,
         ("checkpoint '{case}' is a folder; give a checkpoint file in it",)),
    Case("eval-lm of a translation model", lambda w: ["eval-lm", w.lm, "--path", w.ck], 1,
         ("seqx eval-lm scores language models",)),
    Case("--inputs A B", fairseq_inputs, 0, check=averaged),
    Case("relative --restore-file", relative_restore, 0, ("restored mine.pt (3 updates)",)),
    Case("temporary of a killed save", stale_temporary, 0, check=no_temporary),
    Case("over-long interactive line", overlong_line(False), 1,
         ("input line 2 has 2001 tokens", "add --skip-invalid-size-inputs-valid-test")),
    Case("over-long line skipped", overlong_line(True), 0, ("skipped input line 2",),
         check=two_of_three_translated),
    Case("raw folder without --dataset-impl", raw_folder, 0, ("done training",)),
    Case("missing checkpoint", lambda w: ["generate", w.bin, "--path", w.case / "no.pt"], 1,
         ("checkpoint '{case}/no.pt' does not exist",)),
]  # fmt: skip


def _run(args: list[Any], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return code, captured.err + captured.out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, world: World, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    world.case = tmp_path
    args = case.command(world)
    before = {name: (tmp_path / name).read_bytes() for name in case.unchanged}
    try:
        code, out = _run(args, capsys)
    finally:
        while world.held:
            world.held.pop().release()
    assert "Traceback" not in out, out
    assert code == case.code, out
    for fragment in case.says:
        assert fragment.format(case=tmp_path) in out, out
    for name, data in before.items():
        assert (tmp_path / name).read_bytes() == data, f"{name} changed"
    if case.check is not None:
        case.check(world, out)
