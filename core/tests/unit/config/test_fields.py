from dataclasses import dataclass, field

import pytest

from seqx.config.fields import MISSING, config_fields, undocumented_fields
from seqx.config.resolve import is_config_class
from seqx.errors import ConfigError


@dataclass(kw_only=True)
class Base:
    dropout: float = 0.1
    """Dropout probability
    applied everywhere."""


@dataclass(kw_only=True)
class Child(Base):
    data: str = field(metadata={"positional": True})
    """The data folder."""
    layers: int = 6
    """Number of layers."""
    betas: tuple[float, float] = (0.9, 0.98)
    """Adam betas."""
    via_metadata: int = field(default=3, metadata={"help": "Help from metadata."})
    undocumented: bool = False


def test_fields_have_types_defaults_and_docstring_help():
    specs = {f.name: f for f in config_fields(Child)}
    assert specs["dropout"].help == "Dropout probability applied everywhere."
    assert specs["layers"].type is int and specs["layers"].default == 6
    assert specs["betas"].type == tuple[float, float]
    assert specs["via_metadata"].help == "Help from metadata."
    assert specs["data"].positional and specs["data"].default is MISSING and specs["data"].required
    assert specs["layers"].flag == "--layers"
    assert undocumented_fields(Child) == ["undocumented"]


def test_non_dataclass_is_rejected():
    with pytest.raises(ConfigError, match="not a dataclass"):
        config_fields(int)


def test_kw_only_detection():
    @dataclass
    class Positional:
        x: int = 1

    assert is_config_class(Child)
    assert not is_config_class(Positional)
