"""Registers seqx-data's components by import string (no heavy imports here)."""

from seqx import hookimpl


@hookimpl
def seqx_register(registry):
    registry.dataset_format(
        "mmap",
        "seqx_data.mmap:MMapFormat",
        help="Memory-mapped binary in fairseq's .bin/.idx layout.",
    )
    registry.dataset_format(
        "lazy",
        "seqx_data.indexed:LazyFormat",
        help="fairseq's older TorchNet .bin/.idx layout, mapped.",
    )
    registry.dataset_format(
        "cached",
        "seqx_data.indexed:CachedFormat",
        help="fairseq's older TorchNet .bin/.idx layout, read into memory.",
    )
    registry.dataset_format(
        "raw", "seqx_data.raw:RawFormat", help="Plain text, encoded when loaded."
    )
    registry.tokenizer("space", "seqx_data.space:SpaceTokenizer", help="Split on white space.")
    registry.tokenizer(
        "moses",
        "seqx_data.moses:MosesTokenizer",
        config="seqx_data.configs:MosesConfig",
        help="Moses tokenizer and detokenizer (sacremoses).",
    )
    registry.bpe(
        "sentencepiece",
        "seqx_data.sentencepiece_bpe:SentencepieceBPE",
        config="seqx_data.configs:SentencepieceConfig",
        help="SentencePiece subwords (learned by seqx preprocess, or given).",
    )
    registry.bpe(
        "subword_nmt",
        "seqx_data.subword_nmt_bpe:SubwordNMTBPE",
        config="seqx_data.configs:SubwordNMTConfig",
        help="Subword-nmt BPE codes (--bpe-codes; learned by seqx preprocess, or given).",
    )
    registry.bpe(
        "characters",
        "seqx_data.byte_level:Characters",
        help="One unit per character (a space as \u2581).",
    )
    registry.bpe(
        "bytes",
        "seqx_data.byte_level:Bytes",
        help="One unit per UTF-8 byte, as a printable character (fairseq's byte encoding).",
    )
    registry.bpe(
        "byte_bpe",
        "seqx_data.byte_level:ByteBPE",
        config="seqx_data.configs:ByteBPEConfig",
        help="A sentencepiece model over byte-encoded text (--sentencepiece-model-path).",
    )
    registry.bpe(
        "gpt2",
        "seqx_data.gpt2_bpe:GPT2BPE",
        config="seqx_data.configs:GPT2BPEConfig",
        help="GPT-2's byte-level BPE from --gpt2-encoder-json and --gpt2-vocab-bpe.",
    )
    registry.scorer(
        "chrf", "seqx_data.scorers:ChrFScorer", help="chrF through sacreBLEU (fairseq's chrf)."
    )
    registry.scorer(
        "wer",
        "seqx_data.scorers:WerScorer",
        config="seqx_data.configs:WerConfig",
        help="Word error rate on fairseq's evaluation tokenization (--wer-tokenizer, ...).",
    )
    registry.bpe(
        "hf_byte_bpe",
        "seqx_data.hf_byte_bpe:HFByteBPE",
        config="seqx_data.configs:HFByteBPEConfig",
        help="Hugging Face tokenizers' byte-level BPE (--bpe-vocab, --bpe-merges).",
    )
    registry.bpe(
        "bert",
        "seqx_data.bert_bpe:BertBPE",
        config="seqx_data.configs:BertBPEConfig",
        help="BERT's WordPiece from --bpe-vocab-file (--bpe-cased keeps case).",
    )
