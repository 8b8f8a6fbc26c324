import enum
import pathlib
from typing import Literal

import pytest

from seqx.config.values import from_plain, parse_text, to_plain, type_name


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@pytest.mark.parametrize(
    ("tp", "text", "expected"),
    [
        (int, "12", 12),
        (float, "1e-3", 0.001),
        (float, "3", 3.0),
        (bool, "False", False),
        (bool, "yes", True),
        (str, "de", "de"),
        (int | None, "None", None),
        (int | None, "4", 4),
        (tuple[float, float], "(0.9, 0.98)", (0.9, 0.98)),
        (tuple[float, float], "0.9,0.98", (0.9, 0.98)),
        (tuple[float, float], "0.9 0.98", (0.9, 0.98)),
        (tuple[float, ...], "0.25", (0.25,)),
        (tuple[int, ...], "[1, 2, 3]", (1, 2, 3)),
        (list[str], "de,en", ["de", "en"]),
        (list[str], "['de', 'en']", ["de", "en"]),
        (Literal["relu", "gelu"], "gelu", "gelu"),
        (Literal[1, 2], "2", 2),
        (Color, "blue", Color.BLUE),
        (pathlib.Path, "/tmp/x", pathlib.Path("/tmp/x")),
        (str, "[(512, 3)] * 20", "[(512, 3)] * 20"),
    ],
)
def test_parse_text(tp, text, expected):
    assert parse_text(tp, text) == expected


@pytest.mark.parametrize(
    ("tp", "text", "message"),
    [
        (int, "2.5", "expected int, got '2.5'"),
        (int, "ten", "expected int"),
        (float, "x", "expected float"),
        (bool, "maybe", "expected boolean"),
        (tuple[float, float], "(0.9,)", "a tuple of 2 floats such as '(0.5, 0.5)'"),
        (tuple[float, float], "(0.9, 0.98, 0.1)", "a tuple of 2 floats"),
        (Literal["relu", "gelu"], "relux", "not one of 'relu', 'gelu'; did you mean 'relu'"),
    ],
)
def test_parse_errors_say_what_was_expected(tp, text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_text(tp, text)


def test_plain_round_trip_restores_tuples_and_enums():
    tp = tuple[float, float]
    assert from_plain(tp, to_plain((0.9, 0.98))) == (0.9, 0.98)
    assert from_plain(Color, to_plain(Color.RED)) is Color.RED
    assert from_plain(list[int], [1, 2]) == [1, 2]
    with pytest.raises(ValueError):
        from_plain(int, True)
    with pytest.raises(ValueError):
        from_plain(int, None)


def test_type_names():
    assert type_name(int | None) == "int or None"
    assert type_name(list[int]) == "a list of int values"
    assert type_name(Literal["a", "b"]) == "one of a, b"


def test_a_choice_named_none_is_not_none():
    tp = Literal["none", "complete"] | None
    assert parse_text(tp, "none") == "none"
    assert parse_text(tp, "complete") == "complete"
    assert parse_text(tp, "null") is None
    assert parse_text(int | None, "none") is None
