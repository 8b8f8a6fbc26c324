"""seqx-fconv: fairseq's convolutional sequence to sequence model, as a seqx plugin."""
