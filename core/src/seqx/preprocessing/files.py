"""Input text files: their names, existence, UTF-8, line counts, byte ranges for workers."""

from __future__ import annotations

import os

from seqx.data.lines import count_lines
from seqx.errors import SeqxError


def check_text_file(path: str, flag: str) -> int:
    """Count the lines of ``path`` (:mod:`seqx.data.lines`'s rule); name the file and line
    of any byte that is not UTF-8 or is a control character."""
    if not os.path.exists(path):
        raise SeqxError(f"{flag}: input file '{path}' does not exist")
    return count_lines(path, flag)


def chunk_offsets(path: str, chunks: int) -> list[tuple[int, int]]:
    """Split ``path`` into up to ``chunks`` byte ranges that start at line beginnings."""
    size = os.path.getsize(path)
    if chunks <= 1 or size == 0:
        return [(0, size)]
    bounds = [0]
    with open(path, "rb") as f:
        for i in range(1, chunks):
            f.seek(size * i // chunks)
            f.readline()
            pos = f.tell()
            if pos > bounds[-1] and pos < size:
                bounds.append(pos)
    bounds.append(size)
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def lang_file(prefix: str, lang: str) -> str:
    """The input file of ``lang``: ``PREFIX.LANG``, or ``PREFIX`` itself without a language."""
    return f"{prefix}.{lang}" if lang else prefix


def lang_label(lang: str) -> str:
    """How log lines name ``lang``."""
    return lang or "text"


def concatenate(parts: list[tuple[str, int, int]], dest: str) -> None:
    """Write the byte ranges ``parts`` (path, start, end) one after the other into ``dest``."""
    with open(dest, "wb") as out:
        for path, a, b in parts:
            with open(path, "rb") as f:
                f.seek(a)
                out.write(f.read(b - a))
