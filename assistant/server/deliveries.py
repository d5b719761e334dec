"""Delivery ids already accepted, so a replayed delivery is not reviewed twice (bounded memory)."""

from __future__ import annotations

from collections import OrderedDict


class DeliveryStore:
    """The last `capacity` accepted delivery ids, oldest forgotten first.

    Only accepted (enqueued) deliveries are remembered: one refused with 503 can be redelivered.
    Used from the event loop only, so it needs no lock.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def seen(self, delivery_id: str) -> bool:
        """True when this id was accepted before (and is still remembered)."""
        return delivery_id in self._ids

    def remember(self, delivery_id: str) -> None:
        """Record an accepted delivery, forgetting the oldest beyond capacity."""
        self._ids[delivery_id] = None
        self._ids.move_to_end(delivery_id)
        while len(self._ids) > self._capacity:
            self._ids.popitem(last=False)

    def __len__(self) -> int:
        return len(self._ids)
