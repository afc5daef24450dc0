"""Persistence: tables (``models``), the engine and migrations (``db``, ``migrations/``),
the services every writer goes through (``services``) and their errors (``errors``).
"""
