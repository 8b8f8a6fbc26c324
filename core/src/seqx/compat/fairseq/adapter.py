"""``FairseqAdapter``: how one seqx model's options and weights map onto fairseq's.

A model plugin registers one adapter per model with ``registry.fairseq_adapter(MODEL,
"pkg.module:Adapter")``. The defaults carry every option of the seqx config under the same
name and keep state-dict names as they are; a subclass overrides what differs. Options of
fairseq's model that seqx's lacks are listed in :attr:`FairseqAdapter.unsupported` with the
values under which the two models compute the same thing, so a checkpoint trained with
another value is refused, naming the option, instead of decoding to something else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from torch import Tensor

from seqx.config.fields import config_fields
from seqx.config.values import from_plain, to_plain, type_name
from seqx.errors import SeqxError


class FairseqAdapter:
    """The mapping between a seqx model and fairseq's model of the same family."""

    unsupported: ClassVar[Mapping[str, tuple[Any, ...]]] = {}
    """fairseq option -> the values under which fairseq's model equals seqx's."""

    renamed: ClassVar[Mapping[str, str]] = {}
    """seqx config field -> fairseq's option, where the names differ."""

    fairseq_model: ClassVar[str] = ""
    """fairseq's model name (``transformer``), written as ``_name`` on export."""

    def check_supported(self, options: Mapping[str, Any], path: str) -> None:
        """Refuse a checkpoint whose model uses an option seqx's model does not have."""
        check_supported(options, self.unsupported, f"seqx's {self.fairseq_model}", path)

    def import_options(
        self, options: Mapping[str, Any], config_cls: type, defaults: Mapping[str, Any], path: str
    ) -> dict[str, Any]:
        """The seqx config (as plain data) of a checkpoint with fairseq ``options``: each
        field from fairseq's option of that name, else from ``defaults`` (the arch's)."""
        self.check_supported(options, path)
        return same_named(options, config_cls, defaults, path, self.import_value, self.renamed)

    def import_value(self, name: str, value: Any, options: Mapping[str, Any]) -> Any:
        """The seqx value of field ``name`` from fairseq's ``value`` (the same by default)."""
        return value

    def export_options(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """fairseq's model options for a seqx model ``config`` (plain data)."""
        out = {}
        for name, value in config.items():
            if not name.startswith("_"):
                out[self.renamed.get(name, name)] = self.export_value(name, value, config)
        for option, accepted in self.unsupported.items():
            out.setdefault(option, accepted[0])
        return out

    def export_value(self, name: str, value: Any, config: Mapping[str, Any]) -> Any:
        """fairseq's value of seqx field ``name`` (the same by default)."""
        return value

    def import_weights(
        self, weights: Mapping[str, Tensor], config: Mapping[str, Any]
    ) -> dict[str, Tensor]:
        """seqx's state dict from fairseq's (the same names by default)."""
        return dict(weights)

    def export_weights(
        self, weights: Mapping[str, Tensor], config: Mapping[str, Any]
    ) -> dict[str, Tensor]:
        """fairseq's state dict from seqx's (the same names by default)."""
        return dict(weights)


def check_supported(
    options: Mapping[str, Any], unsupported: Mapping[str, tuple[Any, ...]], what: str, path: str
) -> None:
    """Refuse options whose value is not one of those ``unsupported`` accepts for them."""
    for option, accepted in unsupported.items():
        value = options.get(option, accepted[0])
        if value not in accepted:
            flag = "--" + option.replace("_", "-")
            raise SeqxError(
                f"fairseq checkpoint '{path}' was trained with {flag} {value!r}, which "
                f"{what} does not have; it cannot be imported"
            )


def same_named(
    options: Mapping[str, Any],
    config_cls: type,
    defaults: Mapping[str, Any],
    path: str,
    value_of: Any = None,
    renamed: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Plain data for ``config_cls``: each field from the option of its name (through
    ``renamed``, converted by ``value_of(field, value, options)``), else from ``defaults``."""
    out: dict[str, Any] = {}
    for spec in config_fields(config_cls):
        option = (renamed or {}).get(spec.name, spec.name)
        if option not in options:
            if spec.name in defaults:
                out[spec.name] = to_plain(defaults[spec.name])
            continue
        value = (
            options[option] if value_of is None else value_of(spec.name, options[option], options)
        )
        try:
            out[spec.name] = to_plain(from_plain(spec.type, value))
        except (TypeError, ValueError):
            raise SeqxError(
                f"fairseq checkpoint '{path}' sets {option}={value!r}, but seqx's "
                f"'{spec.name}' takes {type_name(spec.type)}"
            ) from None
    return out
