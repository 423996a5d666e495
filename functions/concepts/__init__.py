"""Concepts: answers ``struggle.detected`` with a ``help.explanation`` on ``proactive-help``.

The curated knowledge base (``knowledge/*.yaml``, loaded by ``knowledge_base``) is
the default explainer; ``compose`` turns an entry into Markdown for the struggle at
hand; ``llm`` is the optional OpenAI-compatible backend, which falls back to the
knowledge base. ``explain`` is the domain function, ``bootstrap`` the wiring and
``main`` the functions-framework entry point. See docs/concepts.md.
"""
