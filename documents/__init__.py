"""PDF documents: letters to lenders and the repayment-plan report (ReportLab, embedded CJK font).

No Qt, no database: documents lay out plain values the services gather.
"""
