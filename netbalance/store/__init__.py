"""Storage: the durable TinyDB-backed Store, its codec, migrations and errors."""

from netbalance.store.changes import Change
from netbalance.store.errors import (
    StoreConflict,
    StoreDamaged,
    StoreError,
    StoreLocked,
    StoreNewerVersion,
    StoreWriteError,
)
from netbalance.store.store import Store, StoreNotEmpty

__all__ = [
    "Change",
    "Store",
    "StoreConflict",
    "StoreDamaged",
    "StoreError",
    "StoreLocked",
    "StoreNewerVersion",
    "StoreNotEmpty",
    "StoreWriteError",
]
