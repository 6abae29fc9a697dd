"""Answering customers and the community manager's rules (room support): reply chains, reply rates and
first-reply times per brand, the seed's page rules made measurable, their charts.

May import: the foundation, charts, pages (its metrics, for the rules). Never io: analyses take frames.
"""
