import pytest

from seqx.optim.loss_scaler import DynamicLossScaler, LossScaleTooLow


def test_the_scale_doubles_after_a_quiet_window_and_halves_on_overflow():
    scaler = DynamicLossScaler(init_scale=8.0, scale_window=3)
    scaler.overflow()
    assert scaler.scale == 4.0
    for _ in range(2):
        scaler.update()
    assert scaler.scale == 4.0
    scaler.update()  # three updates since the overflow
    assert scaler.scale == 8.0


def test_threshold_and_minimum():
    scaler = DynamicLossScaler(init_scale=4.0, threshold=2.0, scale_window=100)
    scaler.overflow()
    scaler.overflow()
    assert scaler.scale == 2.0  # never below the threshold
    low = DynamicLossScaler(init_scale=2.0, min_loss_scale=1.0)
    low.overflow()
    with pytest.raises(LossScaleTooLow, match="below --min-loss-scale 1"):
        low.overflow()


def test_tolerance_accepts_some_overflows():
    scaler = DynamicLossScaler(init_scale=8.0, scale_window=1000, tolerance=0.5)
    for _ in range(3):
        scaler.update()
    scaler.overflow()  # 1 overflow in 4 updates: under the tolerance
    assert scaler.scale == 8.0


def test_state_round_trip():
    scaler = DynamicLossScaler(init_scale=8.0, scale_window=3)
    scaler.overflow()
    scaler.update()
    again = DynamicLossScaler()
    again.load_state_dict(scaler.state_dict())
    assert again.state_dict() == scaler.state_dict()
