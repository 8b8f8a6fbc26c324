"""Pretrained embeddings from a text file, in the format fairseq reads (``--*-embed-path``).

The file: an optional ``COUNT DIM`` header line, then ``WORD v1 ... vDIM``
per line. Words missing from the dictionary are skipped; a line with another
number of values is an error naming the file, line and flag.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from seqx.data.lines import iter_lines
from seqx.errors import ConfigError


def load_pretrained(path: str, dictionary: Any, emb: nn.Embedding, flag: str) -> int:
    """Copy the vectors of ``path`` into ``emb`` for the words of ``dictionary``; returns
    how many words were found. The file: an optional 'COUNT DIM' header, then lines
    'WORD v1 ... vDIM'."""
    dim = emb.embedding_dim
    found = 0
    for lineno, line in enumerate(iter_lines(path, flag), 1):
        pieces = line.rstrip().split(" ")
        if lineno == 1 and len(pieces) == 2 and all(p.isdigit() for p in pieces):
            continue  # the header
        word, values = pieces[0], pieces[1:]
        where = f"{flag} {path}, line {lineno}"
        if len(values) != dim:
            raise ConfigError(
                f"{where}: '{word}' has {len(values)} values but the embedding dimension is "
                f"{dim}; give a file of {dim}-dimensional vectors or change the embedding "
                "dimension"
            )
        index = dictionary.index(word)
        if index == dictionary.unk() and word != dictionary.unk_word:
            continue
        try:
            vector = torch.tensor([float(v) for v in values])
        except ValueError:
            raise ConfigError(f"{where}: the values of '{word}' are not all numbers") from None
        with torch.no_grad():
            emb.weight[index] = vector
        found += 1
    return found
