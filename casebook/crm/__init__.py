"""Customers (room crm): purchase occasions, RFM, BG/NBD, churn watch-list, readiness, their charts.

May import: the foundation, charts. Never io: analyses take frames.
"""
