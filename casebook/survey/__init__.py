"""Survey evidence (room survey): intervals and perception gaps.

May import: the foundation, charts. Never io: analyses take frames.
"""
