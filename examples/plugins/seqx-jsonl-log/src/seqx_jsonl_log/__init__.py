"""seqx-jsonl-log: JSON-lines logging for seqx runs (an example plugin)."""
