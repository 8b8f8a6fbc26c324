import pytest

from seqx.data.dictionary import Dictionary
from seqx.errors import SeqxError
from seqx.testing import DatasetFormatConformance
from seqx_data.raw import RawFormat


class TestRaw(DatasetFormatConformance):
    plugin = "seqx_data.plugin"
    name = "raw"


def test_non_utf8_file_is_named(tmp_path):
    path = tmp_path / "valid.de-en.de"
    path.write_bytes(b"gut\n\xff\xfe\n")
    with pytest.raises(SeqxError, match="valid.de-en.de', line 2: not UTF-8"):
        RawFormat().load(str(path), Dictionary())
