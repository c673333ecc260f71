"""Signals other apps listen to; centers does not import them (they sit above it)."""

from django.dispatch import Signal

# Sent once the commission's acceptance of a 注销 change report has committed (第十三条), with
# `report` (centers.ChangeReport). evaluations.revocations proposes the revocation (第十七条,
# 获评单位被依法终止) at once; its sweep remains the fallback should the listener fail.
cancellation_accepted = Signal()
