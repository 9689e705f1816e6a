"""Dialogs: the debt editor, recording a payment, logging a collection contact, a debt's schedule."""
