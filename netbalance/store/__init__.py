"""Storage: the durable TinyDB-backed Store, its codec, migrations and errors."""

from netbalance.store.errors import (
    StoreDamaged,
    StoreError,
    StoreLocked,
    StoreNewerVersion,
    StoreWriteError,
)
from netbalance.store.store import Change, Store, StoreNotEmpty

__all__ = [
    "Change",
    "Store",
    "StoreDamaged",
    "StoreError",
    "StoreLocked",
    "StoreNewerVersion",
    "StoreNotEmpty",
    "StoreWriteError",
]
