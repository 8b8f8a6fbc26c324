"""Tasks: the ``Task`` base; built-in ``translation``."""
