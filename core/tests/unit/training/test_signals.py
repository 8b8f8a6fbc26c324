"""StopRequest: a stop signal is recorded; its echo within a second is the same request."""

import signal

from seqx.training.signals import StopRequest


def test_a_signal_delivered_twice_at_once_is_one_request():
    with StopRequest() as stop:
        signal.raise_signal(signal.SIGTERM)
        signal.raise_signal(signal.SIGTERM)  # the launcher's echo: must not kill the process
        assert stop.signal == signal.SIGTERM and stop.name == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
