"""Model interfaces (import torch): ``from seqx.models import BaseModel``."""

from seqx.models.base_model import BaseModel

__all__ = ["BaseModel"]
