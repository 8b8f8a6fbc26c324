"""The ``space`` tokenizer: normalizes white space."""

import re

from seqx.data.tokenizer import Tokenizer

_SPACE = re.compile(r"\s+")


class SpaceTokenizer(Tokenizer):
    """Tokens are the white-space separated words."""

    def encode(self, x: str) -> str:
        return _SPACE.sub(" ", x).strip()

    def decode(self, x: str) -> str:
        return x
