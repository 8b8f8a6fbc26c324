"""``seqx preprocess``: raw text to a data folder of dictionaries and binarized splits."""
