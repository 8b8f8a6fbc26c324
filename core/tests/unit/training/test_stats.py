"""StatsAccumulator: sums and rates that survive a checkpoint."""

import time

from seqx.training.stats import StatsAccumulator


def test_rates_after_a_resume_count_the_time_before_it():
    acc = StatsAccumulator()
    acc.add([{"ntokens": 1000.0, "nsentences": 10.0}])
    acc.updates = 1
    acc.start -= 10.0  # ten seconds of training before the save
    state = acc.state_dict()
    resumed = StatsAccumulator()
    resumed.load_state_dict(state)
    wps = resumed.throughput(lr=1.0, num_updates=1, wall=0.0)["wps"]
    assert 90.0 < wps <= 100.0  # 1000 tokens over ~10 s, not over the ~0 s since the resume


def test_checkpoints_without_a_recorded_time_use_the_training_steps_time():
    acc = StatsAccumulator()
    acc.add([{"ntokens": 500.0}])
    acc.train_wall = 5.0
    state = acc.state_dict()
    del state["elapsed"]
    resumed = StatsAccumulator()
    resumed.load_state_dict(state)
    assert resumed.start <= time.perf_counter() - 5.0
