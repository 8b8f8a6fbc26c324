"""seqx.data.integrity: a data folder's files checked against its manifest."""

import json

import pytest

from seqx.data.dictionary import Dictionary
from seqx.data.folder import MANIFEST, data_paths, load_dictionary
from seqx.data.integrity import INCOMPLETE, file_record, is_data_file, verify_files
from seqx.errors import SeqxError


@pytest.fixture
def folder(tmp_path):
    d = Dictionary()
    for word in ("a", "b", "c"):
        d.add_symbol(word)
    d.save(str(tmp_path / "dict.de.txt"))
    (tmp_path / "train.de-en.de.bin").write_bytes(b"\x04\x00\x05\x00")
    manifest = {
        "files": {n: file_record(str(tmp_path / n)) for n in ("dict.de.txt", "train.de-en.de.bin")},
        "dictionaries": {"dict.de.txt": {"symbols": len(d), "fingerprint": d.fingerprint()}},
    }
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    return tmp_path


def test_a_sound_folder_passes(folder):
    assert data_paths(str(folder)) == [str(folder)]
    assert len(load_dictionary(str(folder), "de")) == 7
    assert verify_files(str(folder), json.loads((folder / MANIFEST).read_text())) == []


def test_a_half_replaced_folder_is_refused(folder):
    (folder / INCOMPLETE).write_text("")
    with pytest.raises(SeqxError, match="is incomplete: a seqx preprocess writing it was"):
        data_paths(str(folder))


def test_a_file_of_another_size_is_named(folder):
    (folder / "train.de-en.de.bin").write_bytes(b"\x04\x00")
    with pytest.raises(SeqxError, match=r"train.de-en.de.bin' has 2 bytes, but seqx preprocess"):
        data_paths(str(folder))


def test_a_missing_file_is_named(folder):
    (folder / "train.de-en.de.bin").unlink()
    with pytest.raises(SeqxError, match=r"train.de-en.de.bin' is missing"):
        data_paths(str(folder))


def test_same_size_corruption_is_found_by_the_checksum(folder):
    (folder / "train.de-en.de.bin").write_bytes(b"\x05\x00\x04\x00")
    data_paths(str(folder))  # the cheap check cannot see it
    problems = verify_files(str(folder), json.loads((folder / MANIFEST).read_text()))
    assert problems == [
        f"{folder / 'train.de-en.de.bin'}: checksum differs from the one "
        "recorded (the file changed)"
    ]


def test_a_same_size_dictionary_with_other_symbols_is_refused(folder):
    text = (folder / "dict.de.txt").read_text().replace("a 1", "z 1")
    (folder / "dict.de.txt").write_text(text)
    with pytest.raises(SeqxError, match="is not the one seqx preprocess encoded"):
        load_dictionary(str(folder), "de")


def test_fingerprints_ignore_counts_and_see_order():
    a, b, c = Dictionary(), Dictionary(), Dictionary()
    a.add_symbol("x", 5), a.add_symbol("y")
    b.add_symbol("x", 1), b.add_symbol("y", 9)
    c.add_symbol("y"), c.add_symbol("x")
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("dict.de.txt", True),
        ("dict.txt", True),
        ("train.de-en.de.bin", True),
        ("valid1.de-en.en.idx", True),
        ("test.bin", True),
        ("train.de-en.de", True),
        ("preprocess.log", True),
        ("train.de", False),
        ("notes.txt", False),
        ("spm.model", False),
    ],
)
def test_data_file_names(name, data):
    assert is_data_file(name) is data
