"""The book's build (room build): site, standalone reports, PDF, Sphinx extension, browser settings.

May import: the foundation, charts, notebook and the executor.
"""
