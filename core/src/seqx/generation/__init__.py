"""Generation: ``SequenceGenerator`` (beam search, sampling) and output formatting."""
