"""fairseq's name classifier tutorial as a seqx plugin."""
