"""Verification ids: unique, sorted by creation, different in a forked child."""

from __future__ import annotations

import os

from listing_gate.ids import new_id


def test_ids_are_unique_and_sort_in_creation_order() -> None:
    """Many ids in the same milliseconds still sort as they were made."""
    ids = [new_id() for _ in range(50_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 26 for i in ids[:10])


def test_a_forked_child_does_not_repeat_the_parents_ids() -> None:
    """A forked child starts a sequence of its own, even within the same millisecond."""
    new_id()  # fills the parent's pool
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child only reports its id
        os.write(write, new_id().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 26).decode()
    os.close(read)
    os.close(write)
    assert child[10:] != new_id()[10:]
