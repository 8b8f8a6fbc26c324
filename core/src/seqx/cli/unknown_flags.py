"""What to tell a user whose flag this command does not take.

Two cases get more than "no such option": a flag of a component the run did not choose
(``--adam-betas`` with ``--optimizer sgd``: say which component has it and how to choose
it), and a fairseq flag seqx deliberately leaves out (say why, from
:data:`~seqx.compat.fairseq.absent_flags.ABSENT_FLAGS`).
"""

from __future__ import annotations

from collections.abc import Sequence

from seqx.cli.options import negative_flag
from seqx.config.fields import FieldSpec, config_fields
from seqx.config.resolve import Section, Selected
from seqx.errors import SeqxError


def _spellings(spec: FieldSpec) -> set[str]:
    names = {spec.flag, *spec.aliases}
    if spec.type is bool:
        names.add(negative_flag(spec))
    return names


def owners_of(flag: str, sections: Sequence[Section]) -> list[tuple[Section, str]]:
    """The (section, component name) pairs whose component takes ``flag``."""
    from seqx.plugins import get_registry

    registry = get_registry()
    found = []
    for section in sections:
        if section.kind is None or section.flag is None:
            continue
        kind = "model" if section.kind == "arch" else section.kind
        for name in registry.names(kind):
            try:
                config_cls = registry.get(kind, name).load_config()
            except SeqxError:
                continue  # a broken plugin is reported where it is chosen
            if config_cls is not None and any(
                flag in _spellings(s) for s in config_fields(config_cls)
            ):
                found.append((section, name))
    return found


def explain_unknown_flag(
    flag: str, sections: Sequence[Section], selected: Sequence[Selected]
) -> str | None:
    """Why ``flag`` is not an option of this run, when more can be said than "no such
    option"; None otherwise."""
    owners = owners_of(flag, sections)
    if owners:
        chosen = {sel.section.name: sel.name for sel in selected}
        section = owners[0][0]
        names = ", ".join(f"{section.flag} {name}" for s, name in owners if s is section)
        now = chosen.get(section.name)
        this_run = f"this run's is {section.flag} {now}" if now else f"{section.flag} is not given"
        return f"{flag} is an option of {names}; {this_run}"
    from seqx.compat.fairseq.absent_flags import ABSENT_FLAGS

    reason = ABSENT_FLAGS.get(flag)
    if reason is not None:
        return f"{flag} is a fairseq option that seqx does not take: {reason}"
    return None
