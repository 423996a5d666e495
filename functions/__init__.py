"""The serverless functions: one folder each, domain code beside a thin ``main.py``."""
