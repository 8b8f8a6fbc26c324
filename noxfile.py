"""Sessions: ``tests`` (everything, one venv), ``core`` (core alone, no plugin installed),
one per plugin and example, ``lint``.

Plugins are discovered: every ``plugins/*/pyproject.toml`` and
``examples/plugins/*/pyproject.toml`` is a package. Every install goes
through ``constraints.txt``, which pins torch to the CPU build we test with.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
CONSTRAINTS = str(ROOT / "constraints.txt")
CORE = ROOT / "core"
PLUGINS = sorted(p.parent for p in ROOT.glob("plugins/*/pyproject.toml"))
EXAMPLES = sorted(p.parent for p in ROOT.glob("examples/plugins/*/pyproject.toml"))
PACKAGES = [CORE, *PLUGINS, *EXAMPLES]

nox.options.sessions = ["tests", "lint"]
nox.options.error_on_missing_interpreters = True


def _meta(package: Path) -> dict:
    return tomllib.loads((package / "pyproject.toml").read_text())["project"]


def _name(package: Path) -> str:
    return _meta(package)["name"].lower().replace("_", "-")


def _local_closure(package: Path) -> list[Path]:
    """``package`` and the repository packages it depends on, dependencies first."""
    by_name = {_name(p): p for p in PACKAGES}
    out: list[Path] = []

    def visit(p: Path) -> None:
        for req in _meta(p).get("dependencies", []):
            name = req.split(";")[0].split("[")[0]
            for sep in "<>=!~ ":
                name = name.split(sep)[0]
            dep = by_name.get(name.strip().lower().replace("_", "-"))
            if dep is not None and dep not in out:
                visit(dep)
        if p not in out:
            out.append(p)

    visit(package)
    return out


def _install(session: nox.Session, packages: list[Path]) -> None:
    args = ["-c", CONSTRAINTS]
    for p in packages:
        extras = _meta(p).get("optional-dependencies", {})
        args += ["-e", f"{p}[test]" if "test" in extras else str(p)]
    session.install(*args)


def _tests_of(packages: list[Path]) -> list[str]:
    return [str(p / "tests") for p in packages if (p / "tests").is_dir()]


@nox.session
def tests(session: nox.Session) -> None:
    """Core, every plugin and example installed editable in one venv; pytest over all."""
    _install(session, PACKAGES)
    session.run("pytest", *_tests_of(PACKAGES), str(ROOT / "tests"), *session.posargs)


@nox.session
def core(session: nox.Session) -> None:
    """Core alone, with no plugin installed, and its tests."""
    _install(session, [CORE])
    session.run("pytest", *_tests_of([CORE]), *session.posargs)


def _package_session(package: Path) -> None:
    def run(session: nox.Session) -> None:
        closure = _local_closure(package)
        _install(session, closure)
        session.run("pytest", *_tests_of([package]), *session.posargs)

    run.__doc__ = f"{_name(package)} alone (with what it depends on), and its tests."
    nox.session(name=_name(package))(run)


for _package in PLUGINS + EXAMPLES:
    _package_session(_package)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the repository; mypy over core, every plugin and example; the import
    contracts of pyproject.toml (core never imports a plugin, plugins never import one
    another, decoding and the Python API never import training)."""
    _install(session, PACKAGES)
    session.install("ruff>=0.6", "mypy>=1.10", "import-linter>=2.0")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("lint-imports")
