"""Scorers (``--scoring``): ``bleu`` (tokenized) and ``sacrebleu`` (detokenized)."""
