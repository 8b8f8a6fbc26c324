"""Criterions that fail on purpose, for the fault tests (loaded with --plugin-dir).

Each is label-smoothed cross entropy that, on training calls chosen by an
environment variable, returns a NaN loss (``nan_at``: NAN_CALLS=3,4), runs out
of memory (``oom_at``: OOM_RANK=r, at the second call on rank r) or ends its
process abruptly (``dies_on_rank1``: at the third call on rank 1).
"""

import os

import torch

from seqx import hookimpl
from seqx.criterions.label_smoothed_cross_entropy import LabelSmoothedCrossEntropyCriterion


class NanAt(LabelSmoothedCrossEntropyCriterion):
    calls = 0

    def forward(self, model, sample, reduce=True):
        loss, size, log = super().forward(model, sample, reduce)
        if model.training:
            NanAt.calls += 1
            if str(NanAt.calls) in os.environ["NAN_CALLS"].split(","):
                loss = loss * float("nan")
        return loss, size, log


class OomAt(LabelSmoothedCrossEntropyCriterion):
    calls = 0

    def forward(self, model, sample, reduce=True):
        if model.training:
            OomAt.calls += 1
            if os.environ.get("RANK", "0") == os.environ["OOM_RANK"] and OomAt.calls == 2:
                raise torch.OutOfMemoryError("out of memory (simulated)")
        return super().forward(model, sample, reduce)


class DiesOnRank1(LabelSmoothedCrossEntropyCriterion):
    calls = 0

    def forward(self, model, sample, reduce=True):
        DiesOnRank1.calls += 1
        if os.environ.get("RANK") == "1" and DiesOnRank1.calls == 3:
            os._exit(3)  # as a killed or crashed process would
        return super().forward(model, sample, reduce)


@hookimpl
def seqx_register(registry):
    config = "seqx.criterions.configs:LabelSmoothedCrossEntropyConfig"
    registry.criterion("nan_at", ":NanAt", config=config)
    registry.criterion("oom_at", ":OomAt", config=config)
    registry.criterion("dies_on_rank1", ":DiesOnRank1", config=config)
