"""Writing installed-looking distributions into a folder, for tests of discovery.

``write_distribution`` lays out modules plus a ``.dist-info`` with
``METADATA`` and ``entry_points.txt``, which is all entry-point discovery
reads; put the folder on ``sys.path`` (or ``PYTHONPATH``) to "install" it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path


def write_distribution(
    root: str | Path,
    name: str,
    version: str = "1.0",
    *,
    plugins: Mapping[str, str],
    modules: Mapping[str, str],
) -> Path:
    """Write distribution ``name`` into ``root``.

    ``plugins`` maps entry point names (group ``seqx.plugins``) to module
    names; ``modules`` maps module names (``pkg.mod`` allowed) to source.
    """
    root = Path(root)
    for module, source in modules.items():
        parts = module.split(".")
        folder = root.joinpath(*parts[:-1])
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(1, len(parts)):
            init = root.joinpath(*parts[:i], "__init__.py")
            if not init.exists():
                init.write_text("")
        folder.joinpath(parts[-1] + ".py").write_text(textwrap.dedent(source))
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    info.joinpath("METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    )
    lines = ["[seqx.plugins]"] + [f"{ep} = {mod}" for ep, mod in plugins.items()]
    info.joinpath("entry_points.txt").write_text("\n".join(lines) + "\n")
    return info
