"""seqx-transformer: the Transformer for seqx."""
