import json

from .conftest import TRAIN


def test_help_shows_chosen_components_options_with_arch_defaults(toys, seqx):
    code, out, _ = seqx(*TRAIN, "--arch", "toy_bigger", "--help")
    assert code == 0
    assert "Model: --arch toy_bigger -> model toy" in out
    assert "Optimizer: toy_adam" in out
    assert "--encoder-embed-dim INT" in out and "[default: 1024]" in out
    assert "--adam-betas LIST" in out and "[default: (0.9, 0.999)]" in out
    assert "--share-all-embeddings / --no-share-all-embeddings" in out
    assert "Installed: toy, toy_big, toy_bigger" in out


def test_help_without_components_still_works(toys, seqx):
    code, out, _ = seqx("train", "--help")
    assert code == 0 and "--arch NAME" in out and "--encoder-embed-dim" not in out


def test_dump_config_applies_flags_arch_and_fairseq_spellings(toys, seqx):
    code, out, err = seqx(
        *TRAIN,
        "-a",
        "toy_bigger",
        "data-bin",
        "--encoder-layers",
        "3",
        "--adam-betas",
        "(0.9, 0.98)",
        "--left-pad-source",
        "False",
        "--lr",
        "0.1,0.05",
        "--dump-config",
    )
    assert code == 0, err
    cfg = json.loads(out)
    assert cfg["model"] == {
        "_name": "toy",
        "_arch": "toy_bigger",
        "encoder_embed_dim": 1024,
        "encoder_layers": 3,
        "share_all_embeddings": True,
        "activation_fn": "relu",
    }
    assert cfg["optimizer"]["adam_betas"] == [0.9, 0.98]
    assert cfg["task"] == {"_name": "toy_task", "data": "data-bin", "left_pad_source": False}
    assert cfg["optimization"]["lr"] == [0.1, 0.05]


def test_config_replay(toys, seqx, tmp_path):
    _, out, _ = seqx(*TRAIN, "-a", "toy_big", "d", "--encoder-layers", "3", "--dump-config")
    path = tmp_path / "config.json"
    path.write_text(out)
    code, again, err = seqx("train", "--config", str(path), "--dump-config")
    assert code == 0, err
    assert json.loads(again) == json.loads(out)
    _, changed, _ = seqx("train", "--config", str(path), "--encoder-layers", "4", "--dump-config")
    assert json.loads(changed)["model"]["encoder_layers"] == 4


def test_unknown_arch_with_near_miss(toys, seqx):
    code, _, err = seqx(*TRAIN, "--arch", "toy_bigr", "d")
    assert code == 2
    assert "unknown arch 'toy_bigr' (given to --arch). Did you mean" in err
    assert "'toy_bigger'" in err.split("Did you mean")[1]


def test_wrong_type_is_a_usage_error_naming_the_flag(toys, seqx):
    code, _, err = seqx(*TRAIN, "--arch", "toy", "d", "--encoder-layers", "six")
    assert code == 2 and "Invalid value for '--encoder-layers': expected int, got 'six'" in err
    code, _, err = seqx(*TRAIN, "--arch", "toy", "d", "--adam-betas", "(0.9,)")
    assert code == 2 and "'--adam-betas': expected a tuple of 2 floats" in err
    code, _, err = seqx(*TRAIN, "--arch", "toy", "d", "--activation-fn", "gelus")
    assert code == 2 and "did you mean 'gelu'" in err
    code, _, err = seqx(*TRAIN, "--arch", "toy", "d", "--share-all-embeddings=maybe")
    assert code == 2 and "'--share-all-embeddings'" in err


def test_misspelled_flag_gets_a_suggestion(toys, seqx):
    code, _, err = seqx(*TRAIN, "--arch", "toy", "d", "--encoder-embed-dimm", "3")
    assert code == 2 and "Did you mean" in err and "'--encoder-embed-dim'" in err


def test_missing_required_pieces(toys, seqx):
    code, _, err = seqx(*TRAIN, "d")
    assert code == 2 and "--arch is required" in err
    code, _, err = seqx(*TRAIN, "--arch", "toy")
    assert code == 2 and "missing argument DATA" in err


def test_missing_default_component_names_the_flag_and_distribution(toys, seqx):
    code, _, err = seqx(
        "train", "--arch", "toy", "--optimizer", "toy_adam", "--task", "toy_task", "d"
    )
    assert code == 2
    assert "unknown lr_scheduler 'fixed' (given to --lr-scheduler)" in err
    assert "pip install seqx-optim" in err


def test_ema_decay_out_of_range_names_the_flag(toys, seqx):
    code, _, err = seqx(*TRAIN, "--arch", "toy", "d", "--ema-decay", "1.5", "--dump-config")
    assert code != 0 and "--ema-decay must be between 0 and 1" in err
    assert "Traceback" not in err
    code, out, _ = seqx(*TRAIN, "--arch", "toy", "d", "--ema-decay", "0.999", "--dump-config")
    assert code == 0 and '"ema_decay": 0.999' in out
