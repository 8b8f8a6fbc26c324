"""Configuration: one ``@dataclass(kw_only=True)`` per component.

The dataclass is the single source of a component's command-line flags,
defaults, ``seqx plugins show`` output and what checkpoints record.
"""

from seqx.config.fields import FieldSpec, config_fields
from seqx.config.values import from_plain, parse_text, to_plain

__all__ = ["FieldSpec", "config_fields", "from_plain", "parse_text", "to_plain"]
