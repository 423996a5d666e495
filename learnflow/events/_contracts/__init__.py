"""The event contracts: one pydantic model per seed document, shared by every service.

Each module holds one topic's documents; ``learnflow.events`` is their public face.
"""
