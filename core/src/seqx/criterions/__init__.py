"""Criterions: the ``Criterion`` base and the built-in losses."""
