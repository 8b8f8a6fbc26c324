"""``seqx.known`` lists what seqx's own plugin distributions register, for the ``pip install``
line of an unknown name: it must match what the installed plugins really register."""

from __future__ import annotations

from collections import defaultdict

from seqx.known import KNOWN_DISTRIBUTIONS
from seqx.plugins import load_plugins


def _registered_by_distribution() -> dict[str, dict[str, set[str]]]:
    pm = load_plugins()
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entry in pm.registry.entries():
        dist = entry.provenance.distribution
        if dist in KNOWN_DISTRIBUTIONS:
            found[dist][entry.kind].add(entry.name)
    return found


def test_known_names_are_what_the_plugins_register():
    registered = _registered_by_distribution()
    assert set(registered) == set(KNOWN_DISTRIBUTIONS), "a seqx plugin is not installed"
    for dist, kinds in KNOWN_DISTRIBUTIONS.items():
        listed = {kind: set(names) for kind, names in kinds.items()}
        actual = {kind: names for kind, names in registered[dist].items()}
        assert listed == actual, f"seqx.known drifted from what {dist} registers"
