"""seqx-data: dataset formats, tokenizers and subword models for seqx."""
