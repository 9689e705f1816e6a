"""A guard against a reference-count bug in PySide6 6.12's ``SignalInstance.emit``.

On Python 3.11 (where ``True`` is not immortal) every ``signal.emit(...)`` made
from Python hands back ``True`` without taking a reference, so each emit drops
``True``'s count by one; after a few thousand emits the interpreter aborts
("bool_dealloc: deallocating True or False"). When the bug is detected, emit is
wrapped to take the missing reference. Harmless on builds without the bug.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 8


class _Probe(QObject):
    fired = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))  # give back what the probe took
    return lost >= _PROBES


def install() -> bool:
    """Wrap ``SignalInstance.emit`` when it loses references; True when the wrapper was installed."""
    if getattr(SignalInstance.emit, "_debtkeeper_fixed", False) or not _emit_drops_a_reference():
        return False
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return result

    emit._debtkeeper_fixed = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    return True


install()
