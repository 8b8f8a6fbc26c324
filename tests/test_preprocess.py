"""``seqx preprocess`` with the installed seqx-data plugin, on tiny files."""

import json

import pytest

from seqx.cli.main import main
from seqx.data.dictionary import Dictionary
from seqx.plugins import load_plugins, set_plugin_manager

DE = ["ein mann fährt fahrrad .", "zwei hunde spielen im schnee .", "eine frau verkauft obst ."]
EN = ["a man rides a bike .", "two dogs play in the snow .", "a woman sells fruit ."]


@pytest.fixture(autouse=True)
def installed_plugins(monkeypatch):
    for var in ("SEQX_LOAD_PLUGINS", "SEQX_DISABLE_PLUGINS", "SEQX_PLUGIN_PATH"):
        monkeypatch.delenv(var, raising=False)
    previous = set_plugin_manager(load_plugins())
    yield
    set_plugin_manager(previous)


@pytest.fixture
def corpus(tmp_path):
    for split, n in (("train", 30), ("valid", 3)):
        (tmp_path / f"{split}.de").write_text("\n".join((DE * n)[: 3 * n]) + "\n")
        (tmp_path / f"{split}.en").write_text("\n".join((EN * n)[: 3 * n]) + "\n")
    return tmp_path


def seqx(*args):
    try:
        main(list(args))
    except SystemExit as exc:
        return exc.code or 0
    return 0


def _args(corpus, dest, *more):
    return (
        "preprocess",
        "-s",
        "de",
        "-t",
        "en",
        "--trainpref",
        str(corpus / "train"),
        "--validpref",
        str(corpus / "valid"),
        "--destdir",
        str(dest),
        *more,
    )


def test_binarizes_splits_and_writes_dictionaries(corpus, capsys):
    dest = corpus / "bin"
    assert seqx(*_args(corpus, dest, "--padding-factor", "1")) == 0
    err = capsys.readouterr().err
    assert "[de] train: 90 sents, 570 tokens, 0.000% replaced by <unk>" in err
    names = sorted(p.name for p in dest.iterdir() if p.name != ".seqx-lock")
    assert names == sorted(
        [
            "dict.de.txt",
            "dict.en.txt",
            "preprocess.json",
            "train.de-en.de.bin",
            "train.de-en.de.idx",
            "train.de-en.en.bin",
            "train.de-en.en.idx",
            "valid.de-en.de.bin",
            "valid.de-en.de.idx",
            "valid.de-en.en.bin",
            "valid.de-en.en.idx",
        ]
    )
    d = Dictionary.load(dest / "dict.en.txt")
    assert d.symbols[4:7] == [".", "a", "bike"]  # by count, then alphabetically
    from seqx_data.mmap import MMapDataset

    ds = MMapDataset(str(dest / "valid.de-en.en"))
    assert [d.string(ds[i]) for i in range(3)] == EN
    manifest = json.loads((dest / "preprocess.json").read_text())
    assert manifest["splits"]["valid"]["de"]["sentences"] == 9


def test_workers_give_identical_output(corpus):
    assert seqx(*_args(corpus, corpus / "one")) == 0
    assert seqx(*_args(corpus, corpus / "two", "--workers", "2")) == 0
    for name in ("train.de-en.de.bin", "train.de-en.de.idx", "dict.en.txt"):
        assert (corpus / "one" / name).read_bytes() == (corpus / "two" / name).read_bytes()


def test_learns_sentencepiece_and_keeps_it(corpus):
    dest = corpus / "spm"
    args = _args(
        corpus,
        dest,
        "--joined-dictionary",
        "--bpe",
        "sentencepiece",
        "--bpe-vocab-size",
        "30",
        "--dataset-impl",
        "raw",
    )
    assert seqx(*args) == 0
    manifest = json.loads((dest / "preprocess.json").read_text())
    assert manifest["bpe"]["en"]["sentencepiece_model"] == "sentencepiece.model"
    assert (dest / "sentencepiece.model").is_file()
    assert (dest / "dict.de.txt").read_text() == (dest / "dict.en.txt").read_text()
    first = (dest / "valid.de-en.en").read_text().splitlines()[0]
    assert first.replace(" ", "").replace("\u2581", " ").strip() == EN[0]


def test_mismatched_line_counts(corpus, capsys):
    (corpus / "valid.en").write_text("only one line\n")
    assert seqx(*_args(corpus, corpus / "bin")) == 1
    err = capsys.readouterr().err
    assert "--validpref: '" in err and "valid.de' has 9 lines but '" in err and "has 1" in err
    assert not (corpus / "bin").exists() or not any((corpus / "bin").iterdir())


def test_non_utf8_names_file_and_line(corpus, capsys):
    (corpus / "train.de").write_bytes(b"gut\nauch gut\nschlecht \xe4\n")
    (corpus / "train.en").write_text("good\nalso good\nbad\n")
    assert seqx(*_args(corpus, corpus / "bin")) == 1
    assert "train.de', line 3: not UTF-8 (byte 0xe4 at column 10)" in capsys.readouterr().err


def test_empty_training_file(corpus, capsys):
    (corpus / "train.de").write_text("")
    (corpus / "train.en").write_text("")
    assert seqx(*_args(corpus, corpus / "bin")) == 1
    assert "training file '" in capsys.readouterr().err


def test_missing_dictionary_and_input(corpus, capsys):
    assert seqx(*_args(corpus, corpus / "bin", "--srcdict", str(corpus / "nope.txt"))) == 1
    assert "dictionary file '" in capsys.readouterr().err
    assert seqx("preprocess", "-s", "de", "-t", "fr", "--trainpref", str(corpus / "train")) == 1
    assert "--trainpref: input file '" in capsys.readouterr().err


def test_interrupted_run_leaves_nothing_that_looks_finished(corpus, monkeypatch):
    from seqx.preprocessing import run

    dest = corpus / "bin"
    dest.mkdir()
    (dest / ".staging-12345").mkdir()  # left by a killed run
    (dest / ".staging-12345" / "train.de-en.de.bin").write_bytes(b"partial")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "_binarize", interrupted)
    assert seqx(*_args(corpus, dest)) == 1  # click reports "Aborted!"
    # no outputs, no staging, no manifest: only the (free) lock
    assert [p.name for p in dest.iterdir()] == [".seqx-lock"]
    monkeypatch.undo()
    assert seqx(*_args(corpus, dest)) == 0
    assert (dest / "preprocess.json").is_file()


def test_per_language_subword_models_and_a_given_model(corpus):
    dest = corpus / "per-lang"
    assert (
        seqx(
            *_args(
                corpus, dest, "--bpe", "sentencepiece", "--bpe-vocab-size", "26", "--no-bpe-joint"
            )
        )
        == 0
    )
    manifest = json.loads((dest / "preprocess.json").read_text())
    assert manifest["bpe"]["de"]["sentencepiece_model"] == "sentencepiece.de.model"
    assert manifest["bpe"]["en"]["sentencepiece_model"] == "sentencepiece.en.model"
    assert (dest / "sentencepiece.de.model").is_file() and (
        dest / "sentencepiece.en.model"
    ).is_file()
    given = corpus / "given"
    model = dest / "sentencepiece.en.model"
    assert (
        seqx(*_args(corpus, given, "--bpe", "sentencepiece", "--sentencepiece-model", str(model)))
        == 0
    )
    manifest = json.loads((given / "preprocess.json").read_text())
    assert manifest["bpe"]["de"]["sentencepiece_model"] == "sentencepiece.en.model"
    assert (given / "sentencepiece.en.model").read_bytes() == model.read_bytes()


def test_a_rerun_replaces_the_folder_whole(corpus):
    dest = corpus / "bin"
    assert seqx(*_args(corpus, dest)) == 0
    (dest / "test.de-en.de.bin").write_bytes(b"left by fairseq-preprocess")
    (dest / "notes.txt").write_text("mine")
    args = _args(corpus, dest)
    rerun = args[: args.index("--validpref")] + args[args.index("--validpref") + 2 :]
    assert seqx(*rerun, "--nwordssrc", "8") == 0
    names = {p.name for p in dest.iterdir()}
    assert not any(n.startswith(("valid", "test")) for n in names)  # no stale split
    assert "notes.txt" in names  # what is not a data file stays
    manifest = json.loads((dest / "preprocess.json").read_text())
    assert sorted(manifest["files"]) == sorted(
        names - {"notes.txt", ".seqx-lock", "preprocess.json"}
    )
    record = manifest["files"]["dict.de.txt"]
    assert record["bytes"] == (dest / "dict.de.txt").stat().st_size
    assert manifest["dictionaries"]["dict.de.txt"] == {
        "symbols": len(Dictionary.load(str(dest / "dict.de.txt"))),
        "fingerprint": Dictionary.load(str(dest / "dict.de.txt")).fingerprint(),
    }


def test_a_second_run_into_a_busy_folder_is_refused(corpus, capsys):
    from seqx.locking import FolderLock

    dest = corpus / "bin"
    with FolderLock(str(dest), "--destdir"):
        (dest / ".staging-1").mkdir()  # the running one's staging folder is left alone
        assert seqx(*_args(corpus, dest)) == 1
        assert (dest / ".staging-1").is_dir()
    err = capsys.readouterr().err
    assert f"--destdir '{dest}' is in use by " in err and "pid " in err
    assert seqx(*_args(corpus, dest)) == 0
    assert not (dest / ".staging-1").exists()  # a dead run's leftovers are cleared


def test_an_empty_validation_split_is_refused(corpus, capsys):
    (corpus / "valid.de").write_text("")
    (corpus / "valid.en").write_text("")
    assert seqx(*_args(corpus, corpus / "bin")) == 1
    assert "--validpref: 'valid' split's file '" in capsys.readouterr().err


def test_a_destdir_that_is_a_file_is_named(corpus, capsys):
    (corpus / "bin").write_text("")
    assert seqx(*_args(corpus, corpus / "bin")) == 1
    assert "--destdir '" in capsys.readouterr().err


def test_verify_finds_corruption_that_keeps_ids_in_range(corpus, capsys):
    dest = corpus / "bin"
    assert seqx(*_args(corpus, dest)) == 0
    assert seqx("verify", str(dest)) == 0
    assert "files and 4 splits verified" in capsys.readouterr().out
    data = bytearray((dest / "valid.de-en.de.bin").read_bytes())
    data[0], data[2] = data[2], data[0]  # two ids swapped: same size, ids in range
    (dest / "valid.de-en.de.bin").write_bytes(bytes(data))
    assert seqx("verify", str(dest)) == 1
    captured = capsys.readouterr()
    assert "valid.de-en.de.bin: checksum differs" in captured.out
    assert "files differ from what seqx preprocess wrote; run it again" in captured.err


def test_verify_opens_the_splits_of_a_folder_without_a_manifest(corpus, capsys):
    dest = corpus / "bin"
    assert seqx(*_args(corpus, dest)) == 0
    (dest / "preprocess.json").unlink()  # as fairseq-preprocess leaves a folder
    assert seqx("verify", str(dest)) == 0
    assert "4 splits opened; no checksums recorded" in capsys.readouterr().out
    raw = bytearray((dest / "valid.de-en.en.idx").read_bytes())
    raw[26:30] = (-3).to_bytes(4, "little", signed=True)
    (dest / "valid.de-en.en.idx").write_bytes(bytes(raw))
    assert seqx("verify", str(dest)) == 1
    assert "valid.de-en.en.idx' is corrupted: sequence 0 has size -3" in capsys.readouterr().err


def test_inputs_inside_destdir_are_never_removed(corpus, capsys):
    dest = corpus / "bin"
    dest.mkdir()
    for split in ("train", "valid"):
        for lang in ("de", "en"):  # named as fairseq's raw splits are
            (dest / f"{split}.de-en.{lang}").write_bytes((corpus / f"{split}.{lang}").read_bytes())
    args = ["preprocess", "-s", "de", "-t", "en", "--trainpref", str(dest / "train.de-en")]
    args += ["--validpref", str(dest / "valid.de-en"), "--destdir", str(dest)]
    for _ in range(2):  # the second run replaces the first's outputs, not the inputs
        assert seqx(*args) == 0
        assert (dest / "train.de-en.de").read_bytes() == (corpus / "train.de").read_bytes()
        assert (dest / "train.de-en.de.bin").is_file()
    assert seqx(*args, "--dataset-impl", "raw") == 1
    assert "would overwrite this run's input 'train.de-en.de'" in capsys.readouterr().err
    assert (dest / "valid.de-en.en").read_bytes() == (corpus / "valid.en").read_bytes()
