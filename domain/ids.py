"""Record ids that cannot be mixed up: a payment's id is not a debt's.

They are plain ``int`` at run time (``NewType``); the type checker keeps them apart.
"""

from __future__ import annotations

from typing import NewType

DebtId = NewType("DebtId", int)
PaymentId = NewType("PaymentId", int)
ContactId = NewType("ContactId", int)
LenderId = NewType("LenderId", int)
