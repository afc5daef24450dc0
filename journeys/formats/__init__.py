"""Exports of a journey: the registry of formats and one module per format.

Pure text formats (``json``, ``dot``, ``mermaid``, ``md``, ``csv``) are functions of the
Journey; only ``svg``, ``png`` and ``pdf`` call the ``dot`` binary (``graphviz``). The CLI
and the web read the same registry (:mod:`journeys.formats.registry`).
"""
