"""Brand pages (room pages): post metrics, the simulated silent page, their charts.

May import: the foundation, charts. Never io: analyses take frames.
"""
