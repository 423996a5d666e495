"""An HTTP CloudEvent's binary-mode headers, written out by hand as a sender outside our codec would."""

from __future__ import annotations


def binary_headers(
    ce_type: str,
    ce_id: str,
    *,
    source: str = "/tests",
    partition_key: str | None = None,
    content_type: str = "application/json",
) -> dict[str, str]:
    headers = {"ce-specversion": "1.0", "ce-id": ce_id, "ce-type": ce_type, "ce-source": source}
    if partition_key is not None:
        headers["ce-partitionkey"] = partition_key
    headers["content-type"] = content_type
    return headers
