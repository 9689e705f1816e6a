"""Use cases: the only layer that touches both storage and domain.

The window and the command line call these and nothing lower. Each public
call is one transaction: it either does all of its work or none of it.
"""
