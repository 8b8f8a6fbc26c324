"""``seqx plugin new``: scaffold a pip-installable plugin package.

The package it writes installs with ``pip install -e`` and passes its own
tests at once; it doubles as the template for writing a plugin by hand.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from seqx.errors import SeqxError
from seqx.version import __version__

TEMPLATE = Path(__file__).parent / "template"
_NAME = re.compile(r"^[a-z][a-z0-9_\-]*$")


def compatible_range(version: str = __version__) -> str:
    """The ``seqx-core`` requirement a new plugin declares: this minor series (0.x) or major."""
    major, minor = (int(p) for p in version.split(".")[:2])
    if major == 0:
        return f"seqx-core>={major}.{minor},<{major}.{minor + 1}"
    return f"seqx-core>={major}.{minor},<{major + 1}"


def _class_prefix(name: str) -> str:
    return "".join(p.capitalize() for p in re.split(r"[_\-]", name) if p)


def create(name: str, dest: str | Path = ".", *, force: bool = False) -> Path:
    """Write plugin package ``seqx-NAME`` under ``dest``; return its folder."""
    if not _NAME.match(name):
        raise SeqxError(
            f"plugin name {name!r}: use lowercase letters, digits, '-' and '_', starting with "
            "a letter (e.g. 'mymodel')"
        )
    bare = name.removeprefix("seqx-").removeprefix("seqx_")
    component = bare.replace("-", "_")
    values = {
        "name": component,
        "distribution": f"seqx-{bare}",
        "package": f"seqx_{component}",
        "cls": _class_prefix(component),
        "seqx_requirement": compatible_range(),
    }
    root = Path(dest) / values["distribution"]
    if root.exists() and any(root.iterdir()) and not force:
        raise SeqxError(f"'{root}' exists and is not empty; choose another --dir or pass --force")
    for src in sorted(TEMPLATE.rglob("*.tmpl")):
        rel = src.relative_to(TEMPLATE).with_suffix("")
        rel = Path(str(rel).replace("__package__", values["package"]))
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = string.Template(src.read_text(encoding="utf-8")).substitute(values)
        target.write_text(text, encoding="utf-8")
    return root
