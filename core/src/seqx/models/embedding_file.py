"""Pretrained embeddings from a text file, in the format fairseq reads (``--*-embed-path``).

The file: an optional ``COUNT DIM`` header line, then ``WORD v1 ... vDIM``
per line. Words missing from the dictionary are skipped; a line with another
number of values is an error naming the file, line and flag.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from seqx.errors import ConfigError


def load_pretrained(path: str, dictionary: Any, emb: nn.Embedding, flag: str) -> int:
    """Copy the vectors of ``path`` into ``emb`` for the words of ``dictionary``; returns
    how many words were found. The file: an optional 'COUNT DIM' header, then lines
    'WORD v1 ... vDIM'."""
    dim = emb.embedding_dim
    found = 0
    try:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                pieces = line.rstrip().split(" ")
                if lineno == 1 and len(pieces) == 2 and all(p.isdigit() for p in pieces):
                    continue  # the header
                word, values = pieces[0], pieces[1:]
                if len(values) != dim:
                    raise ConfigError(
                        f"{flag} {path}, line {lineno}: '{word}' has {len(values)} values but "
                        f"the embedding dimension is {dim}; give a file of {dim}-dimensional "
                        "vectors or change the embedding dimension"
                    )
                index = dictionary.index(word)
                if index == dictionary.unk() and word != dictionary.unk_word:
                    continue
                with torch.no_grad():
                    emb.weight[index] = torch.tensor([float(v) for v in values])
                found += 1
    except OSError as exc:
        raise ConfigError(f"{flag}: cannot read '{path}' ({exc.strerror})") from None
    return found
