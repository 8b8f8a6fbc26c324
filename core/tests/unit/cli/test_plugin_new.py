import tomllib

from seqx.scaffold import compatible_range


def test_new_writes_a_package(seqx, tmp_path):
    code, out, _ = seqx("plugin", "new", "mymodel", "--dir", str(tmp_path))
    assert code == 0
    root = tmp_path / "seqx-mymodel"
    meta = tomllib.loads((root / "pyproject.toml").read_text())
    assert meta["project"]["name"] == "seqx-mymodel"
    assert meta["project"]["entry-points"]["seqx.plugins"] == {"mymodel": "seqx_mymodel.plugin"}
    assert meta["project"]["dependencies"] == [compatible_range()]
    for rel in ("plugin.py", "config.py", "model.py", "__init__.py"):
        assert (root / "src" / "seqx_mymodel" / rel).is_file()
    assert "class MymodelModel(BaseModel)" in (root / "src/seqx_mymodel/model.py").read_text()
    assert (root / "tests" / "test_seqx_mymodel.py").is_file()
    code, _, err = seqx("plugin", "new", "mymodel", "--dir", str(tmp_path))
    assert code == 1 and "exists and is not empty" in err


def test_new_rejects_bad_names(seqx, tmp_path):
    code, _, err = seqx("plugin", "new", "My Model", "--dir", str(tmp_path))
    assert code == 1 and "use lowercase letters" in err


def test_compatible_range():
    assert compatible_range("0.1.3") == "seqx-core>=0.1,<0.2"
    assert compatible_range("1.4.0") == "seqx-core>=1.4,<2"
