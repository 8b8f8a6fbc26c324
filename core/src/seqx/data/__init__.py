"""Data: dictionaries, datasets, batching and iteration (fairseq's layouts and names)."""
