"""The ``seqx`` command line: a click group whose commands come from the registry."""
