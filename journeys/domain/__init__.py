"""The domain: the validated journey document and the facts computed from it.

``document`` (the in-memory Journey), ``schemas`` (validation of ``citizen-journey/1``),
``graph`` (graph facts), ``checks`` (catalogues and the assessment), ``summary`` and
``text``. Nothing here knows about storage, files, Graphviz or the web.
"""
