"""Bad input at every boundary: which test covers which, so the table of coverage is explicit.

Each boundary must refuse bad input with a clear error naming the problem, and lose or
stop nothing else. The table names the tests (here and in the other tiers) that prove
it per boundary; this module fails when one of them is renamed or removed, so the table
cannot silently go stale.

| boundary | what is proven |
|---|---|
| cli | misuse: usage + exit 2, no traceback; bad files/documents; ``up`` refused (also for an env it cannot give): one line, exit 1, nothing left running |
| ingress | KafkaSink's answers: 400 with a reason for non-CloudEvents, invalid documents written with a warning (400 with fields when strict), 503 when Kafka is down; good events still accepted |
| dispatcher | poison and undeliverable records dead-lettered with a reason; the records behind them still delivered |
| functions | poison: 4xx with ``kne-reason``; unparseable input never a 5xx; the process survives |
| manifests | malformed YAML, undeclared sink or dead-letter sink, missing delivery: ConfigurationError naming file and field |
| configuration | bad environment values name the variable; functions answer 503 naming it, or refuse to start |
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent

COVERAGE: dict[str, list[str]] = {
    "cli": [
        "boundaries/test_cli.py::test_an_unknown_flag_prints_usage_and_exits_2",
        "boundaries/test_cli.py::test_a_bad_value_prints_usage_naming_the_option_and_exits_2",
        "boundaries/test_cli.py::test_publish_refuses_a_directory_and_a_file_that_is_not_utf8",
        "boundaries/test_cli.py::test_misuse_through_the_real_entry_point",
        "boundaries/test_up.py::test_a_root_without_eventing_is_one_clear_line",
        "boundaries/test_up.py::test_a_bad_metrics_address_is_one_clear_line_and_stops_what_started",
        "boundaries/test_up.py::test_a_secret_the_manifests_cannot_hold_is_one_clear_line_naming_the_flag",
        "boundaries/test_up.py::test_the_runtimes_own_variables_are_not_for_env",
        "boundaries/test_up.py::test_an_env_flag_that_is_not_name_value_is_a_usage_error",
        "e2e/test_cli_publish.py::test_publish_sends_the_good_lines_and_reports_each_bad_one",
        "e2e/test_cli_publish.py::test_publish_misuse_prints_usage",
        "e2e/test_broker_cli.py::test_cli_misuse_prints_usage_not_a_traceback",
        "e2e/test_exporter_cli.py::test_monitor_rejects_a_bad_listen_address_without_a_traceback",
        "integration/test_dlq_replay.py::test_unknown_topic_is_a_clear_error",
    ],
    "ingress": [
        "unit/runtime/test_ingress.py::test_each_shape_gets_kafkasinks_answer_and_record",
        "unit/runtime/test_ingress.py::test_an_invalid_document_is_written_with_one_warning_naming_its_fields_and_the_function",
        "unit/runtime/test_ingress.py::test_strict_mode_refuses_an_invalid_document_with_its_fields_and_writes_nothing",
        "unit/runtime/test_ingress.py::test_kafka_down_is_503",
        "unit/runtime/test_ingress.py::test_unknown_sink_is_404_listing_the_sinks",
        "unit/runtime/test_ingress.py::test_only_post",
        "boundaries/test_ingress.py::test_poison_after_poison_and_good_events_still_get_through",
        "boundaries/test_ingress.py::test_kafka_down_for_one_event_is_503_and_the_next_is_written",
        "fuzz/test_in_process.py::test_the_ingress_answers_every_request_with_202_or_a_reason",
    ],
    "dispatcher": [
        "integration/test_dispatcher.py::test_non_retryable_status_goes_to_the_dead_letter_sink_at_once",
        "integration/test_dispatcher.py::test_a_record_that_is_not_a_cloudevent_is_wrapped_like_kafkasource",
        "integration/test_dispatcher.py::test_order_is_kept_per_partition_while_one_event_is_failing",
        "integration/test_dispatcher.py::test_no_loss_when_the_dead_letter_write_fails_and_then_recovers",
        "boundaries/test_dispatcher.py::test_undeliverable_records_do_not_stop_the_partition",
        "fuzz/test_dispatcher_records.py::test_every_record_is_delivered_or_dead_lettered_with_its_reason",
        "fuzz/test_in_process.py::test_every_record_becomes_a_sendable_http_request",
    ],
    "functions": [
        "unit/triage/test_entry_point.py::test_a_document_breaking_the_contract_is_poison",
        "unit/concepts/test_entry_point.py::test_an_out_of_range_confidence_is_poison",
        "e2e/test_code_execution.py::test_handle_answers_poison_with_400_and_a_reason",
        "e2e/test_code_execution.py::test_execute_accepts_cloudevents_and_rejects_poison",
        "fuzz/test_functions_http.py::test_every_request_is_processed_or_refused_with_a_reason",
        "fuzz/test_functions_http.py::test_mutated_seed_documents_in_a_well_formed_event",
        "fuzz/test_functions_http.py::test_the_server_survived",
    ],
    "manifests": [
        "manifests/test_loader.py::test_broken_source_raises_with_field_path",
        "manifests/test_loader.py::test_malformed_yaml_raises_naming_the_file",
        "manifests/test_loader.py::test_missing_listed_file_raises",
        "manifests/test_broken_copies.py::test_broken_copy_is_caught",
        "boundaries/test_manifests.py::test_any_mutated_kafkasource_loads_or_fails_naming_the_file",
        "boundaries/test_manifests.py::test_a_source_file_that_is_not_a_manifest_names_the_file",
        "boundaries/test_manifests.py::test_a_kustomization_without_a_resource_list",
    ],
    "configuration": [
        "unit/test_settings.py::test_bad_environment_values_name_the_variable",
        "unit/triage/test_settings.py::test_a_bad_value_names_the_variable",
        "unit/concepts/test_settings.py::test_a_bad_value_names_the_variable",
        "unit/code_execution/test_settings_and_layers.py::test_bad_settings_name_the_variable",
        "boundaries/test_function_settings.py::test_a_lazily_read_setting_answers_503_naming_the_variable",
        "boundaries/test_function_settings.py::test_code_execution_refuses_to_start_with_a_bad_sandbox_level",
    ],
}


@pytest.mark.parametrize("boundary", sorted(COVERAGE))
def test_every_referenced_test_exists(boundary: str) -> None:
    missing = []
    for ref in COVERAGE[boundary]:
        path, name = ref.split("::")
        file = TESTS / path
        if not file.is_file() or not re.search(rf"^def {re.escape(name)}\(", file.read_text(), re.MULTILINE):
            missing.append(ref)
    assert not missing, f"{boundary}: the coverage table names tests that do not exist: {missing}"
