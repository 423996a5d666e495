"""Each function's own metrics live beside it and are named like every other metric of the backbone."""

from __future__ import annotations

from prometheus_client.metrics import MetricWrapperBase

from ..monitoring.promql import FUNCTION_METRICS


def test_every_function_metric_is_named_learnflow_and_its_function() -> None:
    for module in FUNCTION_METRICS:
        function = module.__name__.split(".")[1]  # functions.<name>.metrics
        metrics = [obj for obj in vars(module).values() if isinstance(obj, MetricWrapperBase)]
        assert metrics, module.__name__
        for metric in metrics:
            (family,) = metric.describe()
            assert family.name.startswith(f"learnflow_{function}_"), family.name
