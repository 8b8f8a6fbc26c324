"""Lines of text from outside files: one rule for every reader.

Every command that reads text a user gives (``preprocess``'s inputs, the ``raw``
dataset format, ``interactive --input`` and standard input, ``score``, dictionary
and embedding files) reads it here, so they all see the same lines:

- a line ends at ``\\n``; ``\\r\\n`` ends one too (trailing ``\\r`` are dropped);
  a ``\\r`` anywhere else is white space inside the line, never a line break
  (Python's universal newlines would start a new line there and shift every
  following pair of a parallel corpus);
- the last line needs no final newline;
- a UTF-8 byte-order mark at the start of a file is dropped;
- a byte that is not UTF-8, or a control character that would become part of a
  token (U+0000-U+0008, U+000E-U+001B, U+007F: NUL and the like; tab and the other
  white-space controls are white space), is an error naming the file, line and column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from seqx.errors import SeqxError

BOM = "\ufeff"
"""The UTF-8 byte-order mark, as text."""
_BOM_BYTES = BOM.encode("utf-8")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1b\x7f]")
_CONTROL_TEXT = re.compile("[\x00-\x08\x0e-\x1b\x7f]")
_BLOCK = 8 * 1024 * 1024
_CLEAN_HINT = "remove it (e.g. with tr -d '\\000-\\010\\016-\\033\\177') or fix the file"


def _where(name: str, flag: str | None) -> str:
    return f"{flag}: '{name}'" if flag else f"'{name}'"


def _not_utf8(name: str, flag: str | None, line: int, raw: bytes, start: int) -> SeqxError:
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    return SeqxError(
        f"{_where(name, flag)}, line {line}: not UTF-8 (byte {raw[start]:#04x} at column "
        f"{column}); convert the file to UTF-8, e.g. with iconv"
    )


def _control(name: str, flag: str | None, line: int, raw: bytes, start: int) -> SeqxError:
    column = len(raw[raw.rfind(b"\n", 0, start) + 1 : start].decode("utf-8", "replace")) + 1
    return SeqxError(
        f"{_where(name, flag)}, line {line}: control character U+{raw[start]:04X} at column "
        f"{column}, which would become part of a token; {_CLEAN_HINT}"
    )


def check_bytes(raw: bytes, name: str, first_line: int = 1, flag: str | None = None) -> None:
    """Raise a :class:`SeqxError` naming the line of ``raw``'s first non-UTF-8 byte or
    control character; ``raw`` holds whole lines, the first being ``first_line``."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + raw.count(b"\n", 0, exc.start)
        raise _not_utf8(name, flag, line, raw, exc.start) from None
    bad = _CONTROL.search(raw)
    if bad is not None:
        line = first_line + raw.count(b"\n", 0, bad.start())
        raise _control(name, flag, line, raw, bad.start())


def _open(path: str, flag: str | None) -> BinaryIO:
    if os.path.isdir(path):
        raise SeqxError(f"{_where(path, flag)} is a folder; give a text file")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise SeqxError(f"{_where(path, flag)} does not exist") from None
    except OSError as exc:
        raise SeqxError(f"{_where(path, flag)}: cannot read it ({exc.strerror})") from None


def count_lines(path: str, flag: str | None = None) -> int:
    """The number of lines of ``path`` by the rule above, after checking every byte."""
    lines = 0
    with _open(path, flag) as f:
        pending = f.read(len(_BOM_BYTES)).removeprefix(_BOM_BYTES)
        while True:
            block = f.read(_BLOCK)
            data = pending + block
            cut = data.rfind(b"\n") + 1
            whole, pending = data[:cut], data[cut:]
            if whole:
                check_bytes(whole, path, lines + 1, flag)
                lines += whole.count(b"\n")
            if not block:
                break
    if pending:
        check_bytes(pending, path, lines + 1, flag)
        lines += 1
    return lines


def split_lines(text: str) -> list[str]:
    """Decoded text to its lines, by the rule above."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def decode_line(raw: bytes, name: str, lineno: int, flag: str | None = None) -> str:
    """One raw line (with or without its ``\\n``) as text, checked; the first line of a
    file loses its byte-order mark."""
    check_bytes(raw, name, lineno, flag)
    if lineno == 1 and raw.startswith(_BOM_BYTES):
        raw = raw[len(_BOM_BYTES) :]
    return raw.decode("utf-8").rstrip("\n").rstrip("\r")


def stream_lines(stream: Iterable[bytes], name: str, flag: str | None = None) -> Iterator[str]:
    """The lines of a binary stream (standard input's ``buffer``), one at a time."""
    for lineno, raw in enumerate(stream, 1):
        if lineno == 1 and raw == _BOM_BYTES:  # a file of a byte-order mark alone is empty
            return
        yield decode_line(raw, name, lineno, flag)


def text_lines(stream: Iterable[str], name: str = "<text>") -> Iterator[str]:
    """The lines of an already decoded text stream (an open text file, ``io.StringIO``),
    by the same rule."""
    for lineno, line in enumerate(stream, 1):
        bad = _CONTROL_TEXT.search(line)
        if bad is not None:
            raise _control(
                name, None, lineno, line.encode("utf-8"), len(line[: bad.start()].encode())
            )
        if lineno == 1 and line == BOM:
            return
        line = line.rstrip("\n").rstrip("\r")
        yield line.removeprefix(BOM) if lineno == 1 else line


def iter_lines(path: str, flag: str | None = None) -> Iterator[str]:
    """The lines of the file ``path``, one at a time; errors name ``flag``, the file and line
    (a missing file at once, a bad line when it is reached)."""
    return _closing(_open(path, flag), path, flag)


def _closing(f: BinaryIO, path: str, flag: str | None) -> Iterator[str]:
    with f:
        yield from stream_lines(f, path, flag)


def read_lines(path: str, flag: str | None = None) -> list[str]:
    """Every line of the file ``path`` (``-``: standard input)."""
    if path == "-":
        import sys

        return list(stream_lines(sys.stdin.buffer, "<stdin>", flag))
    return list(iter_lines(path, flag))


def read_range(path: str, start: int, end: int) -> list[str]:
    """The lines in the byte range [start, end) of ``path`` (starting at a line start,
    already checked by :func:`count_lines`)."""
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    text = data.decode("utf-8")
    return split_lines(text.removeprefix(BOM) if start == 0 else text)
