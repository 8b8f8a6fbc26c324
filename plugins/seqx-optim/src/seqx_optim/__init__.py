"""seqx-optim: optimizers and learning-rate schedules for seqx."""
