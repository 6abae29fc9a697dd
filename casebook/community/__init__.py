"""Communities (room community): Nike+ share and value, the SNCF referral funnel, their charts.

May import: the foundation, charts. Never io: analyses take frames.
"""
