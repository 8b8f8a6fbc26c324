"""Options of seqx-data's components (light module: no heavy imports)."""

from dataclasses import dataclass
from typing import Literal


@dataclass(kw_only=True)
class MosesConfig:
    """Options of the Moses tokenizer."""

    source_lang: str | None = None
    """Language of the text to tokenize (default: en)."""
    target_lang: str | None = None
    """Language of the text to detokenize (default: en)."""
    moses_no_dash_splits: bool = False
    """Do not split hyphenated words (no aggressive dash splits)."""
    moses_no_escape: bool = False
    """Do not escape special characters (&, <, >, ...)."""


@dataclass(kw_only=True)
class SentencepieceConfig:
    """Options of SentencePiece."""

    sentencepiece_model: str | None = None
    """Path to the .model file (seqx preprocess learns one when not given)."""
    sentencepiece_enable_sampling: bool = False
    """Sample segmentations (subword regularization) instead of the best one."""
    sentencepiece_alpha: float | None = None
    """Smoothing of the sampling distribution (with --sentencepiece-enable-sampling)."""
    sentencepiece_model_type: Literal["unigram", "bpe", "char", "word"] = "unigram"
    """Model type when seqx preprocess learns a model."""
    sentencepiece_character_coverage: float = 1.0
    """Share of characters the learned model covers (1.0 for small alphabets)."""


@dataclass(kw_only=True)
class SubwordNMTConfig:
    """Options of subword-nmt's BPE."""

    bpe_codes: str | None = None
    """Path to subword-nmt's codes file (seqx preprocess learns one when not given)."""
    bpe_separator: str = "@@"
    """The mark of a unit that does not end a word."""


@dataclass(kw_only=True)
class ByteBPEConfig:
    """Options of byte_bpe."""

    sentencepiece_model_path: str | None = None
    """Path to the sentencepiece model trained on byte-encoded text."""


@dataclass(kw_only=True)
class GPT2BPEConfig:
    """Options of gpt2."""

    gpt2_encoder_json: str | None = None
    """Path to GPT-2's encoder.json (units to ids)."""
    gpt2_vocab_bpe: str | None = None
    """Path to GPT-2's vocab.bpe (the ranked merges)."""


@dataclass(kw_only=True)
class WerConfig:
    """Options of the wer scorer."""

    wer_tokenizer: str = "none"
    """sacreBLEU's tokenizer to apply first: none, 13a, intl, zh, char, ..."""
    wer_remove_punct: bool = False
    """Drop tokens made of punctuation only."""
    wer_char_level: bool = False
    """Score characters instead of words."""
    wer_lowercase: bool = False
    """Lowercase first."""


@dataclass(kw_only=True)
class HFByteBPEConfig:
    """Options of hf_byte_bpe."""

    bpe_vocab: str | None = None
    """Path to vocab.json (seqx preprocess learns one when not given)."""
    bpe_merges: str | None = None
    """Path to merges.txt."""
    bpe_add_prefix_space: bool = False
    """Add a space before the text, so its first word is encoded as the others are."""


@dataclass(kw_only=True)
class BertBPEConfig:
    """Options of bert."""

    bpe_vocab_file: str | None = None
    """Path to BERT's vocab.txt."""
    bpe_cased: bool = False
    """Keep case and accents (a cased BERT vocabulary)."""
