"""Reading fairseq checkpoints through an allow-list, so nothing from the file runs.

fairseq 0.9-0.12 pickle their options as ``argparse.Namespace`` objects or omegaconf
``DictConfig`` trees (with enums and numpy scalars inside), which ``torch.load(
weights_only=True)`` refuses. Each class such files hold is allowed under its name, but
mapped to an inert stand-in (:class:`Inert`) that records what the pickle gives it and
runs no code of the named class; torch's own restricted unpickler does the rest, so any
other class in the file is refused as for any checkpoint. :func:`plain` then turns the
stand-ins into plain data.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

ALLOWED = (
    "argparse.Namespace",
    "omegaconf.dictconfig.DictConfig",
    "omegaconf.listconfig.ListConfig",
    "omegaconf.base.ContainerMetadata",
    "omegaconf.base.Metadata",
    "omegaconf.nodes.AnyNode",
    "omegaconf.nodes.StringNode",
    "omegaconf.nodes.IntegerNode",
    "omegaconf.nodes.FloatNode",
    "omegaconf.nodes.BooleanNode",
    "omegaconf.nodes.EnumNode",
    "omegaconf.nodes.ValueNode",
    "typing.Any",
    "fairseq.meters.AverageMeter",
    "fairseq.meters.TimeMeter",
    "fairseq.meters.StopwatchMeter",
    "fairseq.logging.meters.AverageMeter",
    "fairseq.logging.meters.TimeMeter",
    "fairseq.logging.meters.StopwatchMeter",
    "fairseq.logging.meters.MetersDict",
    "numpy.dtype",
    "numpy.core.multiarray._reconstruct",
    "numpy.ndarray",
)
"""The classes of fairseq checkpoints, each loaded as an inert stand-in."""

ENUM_MODULES = ("fairseq.dataclass.constants.",)
"""Modules whose enums (fairseq's ``ChoiceEnum`` options) load as their values."""

BUILTINS = {"dict": dict, "list": list, "int": int, "long": int, "str": str, "float": float}
"""Types an omegaconf tree names as its ``object_type``/``ref_type`` (never called)."""


class Inert:
    """What the pickle gave an allowed class: its arguments and its state."""

    qualified_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.state: Any = None

    def __setstate__(self, state: Any) -> None:
        self.state = state

    def __repr__(self) -> str:
        return f"<inert {self.qualified_name}>"


def _scalar(dtype: Any, data: bytes = b"") -> Any:
    """numpy's scalar reconstruction, for numeric dtypes only: a Python number."""
    spec = dtype.args[0] if isinstance(dtype, Inert) and dtype.args else dtype
    kind = np.dtype(str(spec))
    if kind.kind not in "biuf":
        raise pickle_error(f"numpy scalar of dtype {kind}")
    return np.frombuffer(bytes(data), dtype=kind, count=1)[0].item()


def pickle_error(what: str) -> Exception:
    import pickle

    return pickle.UnpicklingError(f"{what} is not allowed")


def _stand_in(name: str) -> type[Inert]:
    return type(name.rsplit(".", 1)[-1], (Inert,), {"qualified_name": name})


def pickle_globals(path: str) -> list[str]:
    """The classes and functions the pickles of checkpoint ``path`` name (``module.Name``),
    read without unpickling: from ``data.pkl`` of torch's zip format, or from the pickles
    at the head of its legacy format."""
    import zipfile

    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                pickles = [n for n in z.namelist() if n.endswith("data.pkl")]
                data = z.read(pickles[0]) if pickles else b""
        else:
            with open(path, "rb") as f:
                data = f.read(1 << 24)  # the options live at the head; storages follow
    except (OSError, zipfile.BadZipFile):
        return []
    names: set[str] = set()
    pos = 0
    for _ in range(5):  # legacy format: magic, protocol, sys info, the object, storage keys
        pos = _scan(data, pos, names)
        if pos <= 0 or pos >= len(data):
            break
    return sorted(names)


def _scan(data: bytes, pos: int, names: set[str]) -> int:
    """Add the globals one pickle at ``data[pos:]`` names; the position after it (0 if the
    bytes there are no pickle)."""
    import io
    import pickletools

    ops = []
    stream = io.BytesIO(data)
    stream.seek(pos)
    try:
        for op, arg, _ in pickletools.genops(stream):
            ops.append((op.name, arg))
    except Exception:  # not (or no longer) a pickle
        return 0
    for i, (name, arg) in enumerate(ops):
        if name == "GLOBAL":
            names.add(str(arg).replace(" ", "."))
        elif name == "STACK_GLOBAL" and i >= 2:
            module, attr = ops[i - 2][1], ops[i - 1][1]
            if isinstance(module, str) and isinstance(attr, str):
                names.add(f"{module}.{attr}")
    return stream.tell()


def is_fairseq_pickle(path: str) -> bool:
    """Whether checkpoint ``path`` holds the option objects fairseq pickles."""
    return any(
        n == "argparse.Namespace" or n.startswith("omegaconf.") for n in pickle_globals(path)
    )


def _allow_list(path: str) -> list[Any]:
    allowed: list[Any] = [(_stand_in(name), name) for name in ALLOWED]
    enums = [n for n in pickle_globals(path) if n.startswith(ENUM_MODULES)]
    allowed += [(_stand_in(name), name) for name in enums]
    for module in ("numpy.core.multiarray", "numpy._core.multiarray"):
        allowed.append((_scalar, f"{module}.scalar"))
    for module in ("builtins", "__builtin__"):
        allowed += [(t, f"{module}.{n}") for n, t in BUILTINS.items()]
    allowed.append((_stand_in("collections.defaultdict"), "collections.defaultdict"))
    return allowed


def load_fairseq(path: str) -> Any:
    """``path`` unpickled with fairseq's classes as inert stand-ins (then :func:`plain`)."""
    with warnings.catch_warnings(), torch.serialization.safe_globals(_allow_list(path)):
        warnings.simplefilter("ignore", UserWarning)
        return plain(torch.load(path, map_location="cpu", weights_only=True))


def plain(obj: Any) -> Any:
    """``obj`` with every stand-in turned into plain data: a Namespace or DictConfig into a
    dict, a ListConfig into a list, an omegaconf node or an enum into its value."""
    if isinstance(obj, Inert):
        return _plain_inert(obj)
    if isinstance(obj, dict):
        return type(obj)((k, plain(v)) for k, v in obj.items()) if obj else obj
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(plain(v) for v in obj)
    return obj


def _plain_inert(obj: Inert) -> Any:
    name = obj.qualified_name
    state = obj.state
    if name == "argparse.Namespace":
        return {k: plain(v) for k, v in (state or {}).items()}
    if name.startswith("omegaconf."):
        content = state.get("_content") if isinstance(state, dict) else None
        if name.endswith(("DictConfig", "ListConfig")):
            return plain(content) if content is not None else None
        if name.startswith("omegaconf.nodes."):
            return plain(state.get("_val")) if isinstance(state, dict) else None
        return None
    if name.startswith(ENUM_MODULES):
        return plain(obj.args[0]) if obj.args else None
    if name == "collections.defaultdict":
        return dict(plain(state) or {})
    return {"_inert": name}
