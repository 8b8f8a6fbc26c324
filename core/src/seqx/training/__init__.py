"""Training: the trainer's option groups, and (with torch) the training loop."""
