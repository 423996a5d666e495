"""The short soak: traffic through the local runtime under every scheduled fault, then
every produced event reconciled. The long one is `make soak` (10 minutes at 100/s)."""

from learnflow.local.soak.runner import Soak, SoakOptions


def test_short_soak_under_faults_loses_nothing(tmp_path):
    # 8 s per attempt keeps a code run (5 s wall limit) deliverable while keeping the
    # "answer after the timeout" fault short.
    # Fault rates well above the long soak's, so a 20 s run still sees 500s and late answers.
    soak = Soak(
        SoakOptions(
            duration=20, rate=25, fail_ratio=0.03, slow_ratio=0.02, delivery_timeout=8, drain_timeout=90, log_dir=tmp_path
        )
    )
    summary = soak.run()
    assert summary.produced >= 490  # 500 planned; any the broker cut kept out are counted
    assert soak.unproduced + summary.produced == 500
    assert summary.lost == [], f"lost events: {summary.lost[:10]}"
    assert summary.delivered + sum(summary.dead_lettered.values()) - summary.dead_lettered_after_delivery == summary.produced
    assert soak.broker_cuts == 2
    assert sum(p["500"] for p in soak.injected.values()) > 0
    assert len(soak.faults_done) == 8
