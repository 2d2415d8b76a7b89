"""What can go wrong with the database file, each with a message that says what to do."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the database file; the CLI maps it to exit code 3."""


class StoreDamaged(StoreError):
    """The file cannot be read as a netbalance database. It is left untouched."""


class StoreNewerVersion(StoreError):
    """The file was written by a newer netbalance. It is left untouched."""


class StoreLocked(StoreError):
    """Another process held the write lock for too long."""


class StoreWriteError(StoreError):
    """A write did not reach the disk; memory was put back to what is on disk."""


class StoreConflict(StoreError):
    """Another process changed what this write would change; nothing was written.

    The message names the record and says what changed elsewhere, in the product's
    words ("Kim Lost was changed elsewhere: snoozed until 16 Dec 2026."), so a form
    can show it and keep the user's input.
    """


class StoreReadOnly(StoreWriteError):
    """The database could be read but cannot be saved to (a read-only file or folder,
    or opened for reading only); the write was refused and nothing changed."""


class StoreJournalMismatch(StoreError):
    """The journal beside the file is not this file's (another database's, or newer than
    the file). It is neither replayed nor reset; both files are left untouched."""
