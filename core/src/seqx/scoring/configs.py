"""Options of the built-in scorers (light module)."""

from dataclasses import dataclass


@dataclass(kw_only=True)
class SacrebleuConfig:
    """Options of sacrebleu."""

    sacrebleu_tokenizer: str = "13a"
    """sacrebleu's tokenizer: 13a, intl, zh, char, none, ..."""
    sacrebleu_lowercase: bool = False
    """Score case-insensitively."""
