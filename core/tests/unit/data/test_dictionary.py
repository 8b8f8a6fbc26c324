import io

import pytest
import torch

from seqx.data.dictionary import Dictionary, post_process
from seqx.errors import SeqxError


def _built(lines):
    d = Dictionary()
    for line in lines:
        d.encode_line(line, add_if_not_exist=True)
    return d


def test_special_symbols_have_fairseq_indices():
    d = Dictionary()
    assert (d.bos(), d.pad(), d.eos(), d.unk()) == (0, 1, 2, 3)
    assert d.symbols == ["<s>", "<pad>", "</s>", "<unk>"] and d.nspecial == 4


def test_finalize_sorts_by_count_then_alphabetically_and_pads():
    d = _built(["b a c a", "b a d"])
    d.finalize(padding_factor=3)
    assert d.symbols[4:] == ["a", "b", "c", "d", "madeupword0000"]
    assert len(d) == 9
    t = _built(["b a c a", "b a d"])
    t.finalize(threshold=2, padding_factor=1)
    assert t.symbols[4:] == ["a", "b"]
    n = _built(["b a c a", "b a d"])
    n.finalize(nwords=5, padding_factor=1)
    assert n.symbols[4:] == ["a"]


def test_save_and_load_round_trip(tmp_path):
    d = _built(["hello world", "hello there"])
    d.finalize(padding_factor=1)
    path = tmp_path / "dict.txt"
    d.save(path)
    assert path.read_text() == "hello 2\nthere 1\nworld 1\n"
    assert Dictionary.load(path) == d


def test_overwrite_flag_and_errors_name_the_line():
    d = Dictionary.load(io.StringIO("a 3\nb 2\na 7 #fairseq:overwrite\n"))
    assert d.count[d.index("a")] == 7
    with pytest.raises(SeqxError, match=r"line 3: duplicate symbol 'a'"):
        Dictionary.load(io.StringIO("a 3\nb 2\na 7\n"))
    with pytest.raises(SeqxError, match=r"line 2: expected '<symbol> <count>"):
        Dictionary.load(io.StringIO("a 3\nnocount\n"))
    with pytest.raises(SeqxError, match="does not exist"):
        Dictionary.load("/no/such/dict.txt")


def test_encode_line_and_string():
    d = Dictionary.load(io.StringIO("▁the 5\n▁cat 3\ns 2\n"))
    ids = d.encode_line("▁the ▁cat s ▁dog", add_if_not_exist=False)
    assert ids.dtype == torch.int32
    assert ids.tolist() == [4, 5, 6, 3, 2]
    assert d.string(ids) == "▁the ▁cat s <unk>"
    assert d.string(ids, bpe_symbol="sentencepiece") == "the cats<unk>"
    assert d.string(torch.tensor([[4, 5, 2, 1]]), "sentencepiece") == "the cat"
    assert d.encode_line("a b", add_if_not_exist=False, reverse_order=True).tolist() == [3, 3, 2]


def test_post_process():
    assert post_process("▁Ein ▁Mann s ▁geht", "sentencepiece") == "Ein Manns geht"
    assert post_process("the ca@@ t sat", "@@ ") == "the cat sat"
    assert post_process("unchanged text", None) == "unchanged text"
