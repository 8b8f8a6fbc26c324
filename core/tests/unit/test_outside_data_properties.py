"""Every reader of outside data, given arbitrary bytes: a value or a SeqxError with a message,
never another exception (and never a hang: each example runs under hypothesis's deadline)."""

import json
import os
import tempfile
import typing
from typing import Literal

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seqx.checkpoint.files import load_state, save_state
from seqx.config.resolve import load_config_file
from seqx.config.values import parse_text
from seqx.data.dictionary import Dictionary
from seqx.data.folder import read_manifest
from seqx.data.lines import count_lines, iter_lines, read_range
from seqx.errors import SeqxError

SETTINGS = settings(
    max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# bytes with the characters that matter to line readers over-represented
TEXTY = st.lists(
    st.one_of(
        st.sampled_from([b"\n", b"\r", b"\r\n", b"\xef\xbb\xbf", b" ", b"\t", b"\x00", b"\xff"]),
        st.binary(max_size=8),
        st.text(max_size=8).map(lambda t: t.encode("utf-8")),
    ),
    max_size=30,
).map(b"".join)


_FILES = tempfile.TemporaryDirectory()  # removed when the module's tests are done


def _file(data: bytes, name: str = "f") -> str:
    folder = tempfile.mkdtemp(dir=_FILES.name)
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _message(exc: SeqxError) -> None:
    assert str(exc).strip(), "a SeqxError must say what is wrong"


@SETTINGS
@given(TEXTY)
def test_text_lines(data):
    path = _file(data)
    try:
        n = count_lines(path, "--x")
    except SeqxError as exc:
        _message(exc)
        with pytest.raises(SeqxError):
            list(iter_lines(path, "--x"))
        return
    lines = list(iter_lines(path))
    assert len(lines) == n == len(read_range(path, 0, len(data)))
    assert all("\n" not in line for line in lines)


@SETTINGS
@given(TEXTY)
def test_dictionary_files(data):
    try:
        d = Dictionary.load(_file(data, "dict.txt"))
    except SeqxError as exc:
        _message(exc)
        return
    assert len(d) >= d.nspecial and all("\n" not in s for s in d.symbols)


@SETTINGS
@given(st.binary(max_size=200) | TEXTY)
def test_manifests_and_config_files(data):
    folder = os.path.dirname(_file(data, "preprocess.json"))
    for read in (lambda: read_manifest(folder), lambda: load_config_file(_file(data))):
        try:
            assert isinstance(read(), dict)
        except SeqxError as exc:
            _message(exc)


TYPES = [
    int,
    float,
    bool,
    str,
    int | None,
    tuple[float, ...],
    tuple[float, float],
    list[int],
    Literal["a", "b"],
]


@SETTINGS
@given(st.sampled_from(TYPES), st.text(max_size=40) | st.from_regex(r"[-+0-9e.,() inf]{1,12}"))
def test_flag_values(tp, text):
    """A flag's text parses to its type or is a ValueError, which the command line reports
    as a usage error naming the flag."""
    try:
        value = parse_text(tp, text)
    except ValueError as exc:
        assert str(exc)
        return
    if tp in (int, float, bool, str):
        assert isinstance(value, tp)
    elif typing.get_origin(tp) in (tuple, list):
        assert isinstance(value, typing.get_origin(tp))


@pytest.fixture(scope="module")
def checkpoint_bytes(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ck") / "c.pt")
    save_state({"model": {"w": torch.arange(6.0).view(2, 3)}, "config": {"a": 1}}, path)
    with open(path, "rb") as f:
        return f.read()


@SETTINGS
@given(st.binary(max_size=300))
def test_checkpoints_of_arbitrary_bytes(data):
    try:
        load_state(_file(data, "c.pt"))
    except SeqxError as exc:
        _message(exc)


@SETTINGS
@given(data=st.data())
def test_damaged_checkpoints(checkpoint_bytes, data):
    raw = bytearray(checkpoint_bytes)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(raw)))
    try:
        state = load_state(_file(bytes(raw[:cut]), "c.pt"))
    except SeqxError as exc:
        _message(exc)
        return
    assert isinstance(state, dict) and "model" in state


def test_the_checkpoint_of_a_json_file_is_refused(tmp_path):
    (tmp_path / "c.pt").write_text(json.dumps({"model": {}}))
    with pytest.raises(SeqxError, match="is not a checkpoint"):
        load_state(str(tmp_path / "c.pt"))


@SETTINGS
@given(TEXTY)
def test_embedding_files(data):
    from torch import nn

    from seqx.models.embedding_file import load_pretrained

    d = Dictionary()
    for word in ("a", "b"):
        d.add_symbol(word)
    emb = nn.Embedding(len(d), 2)
    try:
        found = load_pretrained(_file(data, "emb.txt"), d, emb, "--encoder-embed-path")
    except SeqxError as exc:
        _message(exc)
        return
    assert found >= 0
