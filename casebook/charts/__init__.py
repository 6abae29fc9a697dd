"""Charts (room charts): the theme, the offline renderer and the generic builders.

May import: the foundation. Charts take tables, never files.
"""
