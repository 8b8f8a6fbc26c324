"""seqx-lstm: fairseq's LSTM encoder-decoder with attention, as a seqx plugin."""
