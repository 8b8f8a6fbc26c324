"""fairseq's Simple LSTM tutorial as a seqx plugin."""
