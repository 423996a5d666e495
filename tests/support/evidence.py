"""``struggle.detected`` evidence as triage writes it, in the wire shape (camelCase), for tests to share."""

from __future__ import annotations

from typing import Any

# nums[5] on a three-item list: the running example of issue 14.
INDEX_ERROR_EVIDENCE: dict[str, Any] = {
    "sourceEventType": "code.executed",
    "status": "error",
    "exceptionType": "IndexError",
    "message": "list index out of range",
    "line": 2,
    "lineText": "print(nums[5])",
    "constructs": ["indexing", "print_call"],
    "diagnosis": "index_literal_out_of_range",
    "facts": {"seq": "nums", "subscript": "nums[5]", "literal_index": "5", "container": "list"},
}

# A list method on a string: the message names the real culprit (strings, not lists).
APPEND_ON_STR_EVIDENCE: dict[str, Any] = {
    "sourceEventType": "code.executed",
    "status": "error",
    "exceptionType": "AttributeError",
    "message": "'str' object has no attribute 'append'",
    "line": 2,
    "lineText": 'name.append("!")',
    "constructs": ["list_method_call"],
    "diagnosis": "list_method_on_string",
    "facts": {"type": "str", "attr": "append", "receiver": "name"},
}
