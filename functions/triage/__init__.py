"""Triage: turns one learning event into a ``struggle.detected`` verdict, or into nothing.

Pure, stateless rules (``rules``) over the evidence one event carries; the concept a
verdict names comes from ``concept_resolution`` and its confidence from the table in
``confidence``. ``main`` is the functions-framework entry point. See docs/triage.md.
"""
