"""The allowed range of a numeric config field, declared with its type.

A field says what values make sense where it is defined::

    beam: Annotated[int, Range(ge=1)] = 5
    max_tokens: Annotated[int | None, Range(ge=1)] = None
    lr: Annotated[tuple[float, ...], Range(gt=0)] = (0.25,)

and every way a config is built (the command line, a ``--config`` file, a checkpoint)
checks it (:func:`check_ranges`), so a command that uses the field gets the check
without repeating it. ``None`` is always allowed where the type allows it; each item
of a tuple or list is checked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seqx.errors import ConfigError


@dataclass(frozen=True)
class Range:
    """Bounds of a numeric field: greater or equal (``ge``), greater (``gt``), less or
    equal (``le``), less (``lt``); ``note`` says what a special value means."""

    ge: float | None = None
    """The smallest allowed value."""
    gt: float | None = None
    """Values must be greater than this."""
    le: float | None = None
    """The largest allowed value."""
    lt: float | None = None
    """Values must be less than this."""
    note: str = ""
    """Added to the error message, e.g. ``"0 means no limit"``."""

    def describe(self) -> str:
        """``at least 1``, ``greater than 0``, ``between 0 and 1``, ..."""
        low = f"at least {_num(self.ge)}" if self.ge is not None else None
        low = f"greater than {_num(self.gt)}" if self.gt is not None else low
        high = f"at most {_num(self.le)}" if self.le is not None else None
        high = f"less than {_num(self.lt)}" if self.lt is not None else high
        return " and ".join(part for part in (low, high) if part)

    def allows(self, value: float) -> bool:
        """Whether ``value`` is inside the range (NaN never is)."""
        if isinstance(value, float) and math.isnan(value):
            return False
        return not (
            (self.ge is not None and value < self.ge)
            or (self.gt is not None and value <= self.gt)
            or (self.le is not None and value > self.le)
            or (self.lt is not None and value >= self.lt)
        )


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def range_of(annotation_extras: Any) -> Range | None:
    """The :class:`Range` in an ``Annotated[...]`` type's metadata, if any."""
    for item in getattr(annotation_extras, "__metadata__", ()):
        if isinstance(item, Range):
            return item
    return None


def check_value(rng: Range, value: Any, flag: str) -> None:
    """Raise a :class:`ConfigError` naming ``flag`` when ``value`` (or an item of it) is
    outside ``rng``."""
    items = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
    for item in items:
        if item is None or isinstance(item, bool) or not isinstance(item, (int, float)):
            continue
        if not rng.allows(item):
            shown = ",".join(map(str, items)) if len(items) > 1 else str(item)
            note = f" ({rng.note})" if rng.note else ""
            raise ConfigError(f"{flag} must be {rng.describe()}{note}, got {shown}")


def check_ranges(config: Any) -> None:
    """Check every field of config instance ``config`` that declares a :class:`Range`."""
    from seqx.config.fields import config_fields

    for spec in config_fields(type(config)):
        if spec.range is not None:
            check_value(spec.range, getattr(config, spec.name), spec.usage)
