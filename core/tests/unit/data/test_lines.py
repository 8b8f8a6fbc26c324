"""seqx.data.lines: one line rule for every reader of outside text."""

import io

import pytest

from seqx.data.lines import count_lines, iter_lines, read_range, stream_lines, text_lines
from seqx.errors import SeqxError

CASES = {
    "plain": (b"a b\nc d\n", ["a b", "c d"]),
    "no final newline": (b"a b\nc d", ["a b", "c d"]),
    "crlf": (b"a b\r\nc d\r\n", ["a b", "c d"]),
    "lone cr is inside a line": (b"a\rb\nc\n", ["a\rb", "c"]),
    "bom": (b"\xef\xbb\xbfes ist\nda\n", ["es ist", "da"]),
    "empty lines count": (b"\n\nx\n", ["", "", "x"]),
    "empty file": (b"", []),
    "only a bom": (b"\xef\xbb\xbf", []),
    "tab and form feed are white space": (b"a\tb\x0cc\n", ["a\tb\x0cc"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_reader_sees_the_same_lines(tmp_path, name):
    raw, expected = CASES[name]
    path = tmp_path / "f.txt"
    path.write_bytes(raw)
    assert list(iter_lines(str(path))) == expected
    assert count_lines(str(path)) == len(expected)
    assert read_range(str(path), 0, len(raw)) == expected
    assert list(stream_lines(io.BytesIO(raw), "x")) == expected
    assert list(text_lines(io.StringIO(raw.decode("utf-8")))) == expected


def test_a_range_split_mid_file_agrees_with_the_whole(tmp_path):
    raw = b"\xef\xbb\xbfone\r\ntwo\rtwo\nthree\n"
    path = tmp_path / "f.txt"
    path.write_bytes(raw)
    cut = raw.index(b"two")
    assert read_range(str(path), 0, cut) + read_range(str(path), cut, len(raw)) == list(
        iter_lines(str(path))
    )


@pytest.mark.parametrize(
    ("raw", "line", "what"),
    [
        (b"ok\nbad \x00 byte\n", 2, "U+0000 at column 5"),
        (b"ok\nok\nx\x1b[0m\n", 3, "U+001B at column 2"),
        (b"ok\n\xff\n", 2, "not UTF-8 (byte 0xff at column 1)"),
        (b"\xc3\xa4\x7f", 1, "U+007F at column 2"),
    ],
)
def test_bad_bytes_name_file_line_and_column(tmp_path, raw, line, what):
    path = tmp_path / "f.txt"
    path.write_bytes(raw)
    for read in (lambda: count_lines(str(path), "--x"), lambda: list(iter_lines(str(path), "--x"))):
        with pytest.raises(SeqxError) as err:
            read()
        assert f"--x: '{path}', line {line}: " in str(err.value)
        assert what in str(err.value)


def test_a_control_character_in_decoded_text_is_an_error():
    with pytest.raises(SeqxError, match=r"'<stdin>', line 2: control character U\+0000"):
        list(text_lines(io.StringIO("a\nb\x00\n"), "<stdin>"))


def test_lines_longer_than_a_block_are_counted_once(tmp_path, monkeypatch):
    import seqx.data.lines as lines

    monkeypatch.setattr(lines, "_BLOCK", 4)
    path = tmp_path / "f.txt"
    path.write_bytes(b"a long line\nshort\nanother long one")
    assert count_lines(str(path)) == 3


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SeqxError, match="does not exist"):
        iter_lines(str(tmp_path / "nope"), "--input")
    with pytest.raises(SeqxError, match="is a folder"):
        iter_lines(str(tmp_path), "--input")
