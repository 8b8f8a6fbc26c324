import os

import click

from seqx.cli.main import prescan
from seqx.version import __version__


def test_help_lists_commands_including_plugin_commands(seqx_plugins, seqx):
    @click.command()
    def hello():
        """Say hello."""
        click.echo("hello from a plugin")

    seqx_plugins.register(lambda r: r.command("hello", hello, help="Say hello."), name="hi")
    code, out, _ = seqx("--help")
    assert code == 0
    for name in ("train", "plugins", "plugin", "hello"):
        assert f"  {name} " in out
    assert seqx("hello") == (0, "hello from a plugin\n", "")


def test_version_lists_core_and_plugins(toys, seqx):
    code, out, _ = seqx("--version")
    assert code == 0
    assert out.splitlines()[0] == f"seqx {__version__}"
    assert "toys" in out


def test_unknown_command_suggests(seqx):
    code, _, err = seqx("trian")
    assert code == 2 and "No such command 'trian'. Did you mean 'train'?" in err


def test_plugin_command_that_is_not_a_click_command(seqx_plugins, seqx):
    seqx_plugins.register(lambda r: r.command("odd", "json:dumps", help="x"), name="odd")
    code, _, err = seqx("odd")
    assert code == 1 and "is not a click command" in err and "Traceback" not in err


def test_prescan_takes_global_plugin_options_anywhere():
    dirs, disabled, rest = prescan(
        ["train", "--user-dir", "a", "--plugin-dir=b", "-p", "no:x", "-pno:y", "data", "--", "-p"]
    )
    assert dirs == ["a", "b"] and disabled == ["x", "y"]
    assert rest == ["train", "data", "--", "-p"]


def test_bad_plugin_option(seqx):
    code, _, err = seqx("-p", "foo", "plugins")
    assert code == 2 and "-p takes no:NAME" in err


def test_the_command_line_caps_kernel_caches(monkeypatch, seqx):
    from seqx.runtime import KERNEL_CACHE_VARIABLES

    for name in KERNEL_CACHE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    seqx("--help")
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "16"


def test_other_warnings_keep_their_usual_format(monkeypatch):
    import warnings

    from seqx.cli import main as entry

    monkeypatch.setattr(warnings, "formatwarning", entry._format_warning)  # as main() does
    text = entry._format_warning("plain warning", UserWarning, "f.py", 3)
    assert "f.py:3: UserWarning: plain warning" in text
