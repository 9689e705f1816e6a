"""The pure core of DebtKeeper: money, rates, schedules, plans, overdue rules.

NOTE: This is a Qt-free, SQL-free, I/O-free zone. Nothing here imports PySide6,
SQLAlchemy, storage, services, documents, ui or reportlab, reads the clock or
touches files. Functions take ``as_of``/``today`` as parameters.
"""
