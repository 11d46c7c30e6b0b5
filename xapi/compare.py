"""Does an LRS's stored copy of a statement hold what we sent? (used after a 409 Conflict)"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

_UUID_KEYS = {"id", "registration"}
_TIME_KEYS = {"timestamp"}
# An LRS may leave out an objectType equal to the default, so its absence is no difference.
_DEFAULT_OBJECT_TYPES = {"Activity", "Agent"}


def same_content(ours: Any, theirs: Any) -> bool:
    """Tell whether ``theirs`` (the LRS's copy) holds every part of ``ours`` (what we sent).

    Properties the LRS adds (``stored``, ``authority``, ``version``, defaults) are ignored;
    timestamps compare as instants and UUIDs case-insensitively, since LRSs may reformat both.

    Args:
        ours: Our statement, parsed from the stored bytes.
        theirs: The statement the LRS returned for the same id.

    Returns:
        True when every value we set is present and equal in the LRS's copy.
    """
    return _same(ours, theirs, key=None)


def _same(ours: Any, theirs: Any, *, key: str | None) -> bool:
    if isinstance(ours, dict):
        if not isinstance(theirs, dict):
            return False
        for name, value in ours.items():
            if name not in theirs:
                if name == "objectType" and value in _DEFAULT_OBJECT_TYPES:
                    continue
                return False
            if not _same(value, theirs[name], key=name):
                return False
        return True
    if isinstance(ours, list):
        return (
            isinstance(theirs, list)
            and len(ours) == len(theirs)
            and all(_same(a, b, key=None) for a, b in zip(ours, theirs, strict=True))
        )
    if isinstance(ours, str) and isinstance(theirs, str) and ours != theirs:
        if key in _TIME_KEYS:
            return _same_instant(ours, theirs)
        if key in _UUID_KEYS:
            return _same_uuid(ours, theirs)
        return False
    # bool is an int in Python, and True must not equal 1 here; 1 and 1.0 are the same number.
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return type(ours) is type(theirs) and ours == theirs
    if isinstance(ours, int | float) and isinstance(theirs, int | float):
        return ours == theirs
    return type(ours) is type(theirs) and ours == theirs


def _same_instant(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)
    except ValueError:
        return False


def _same_uuid(a: str, b: str) -> bool:
    try:
        return UUID(a) == UUID(b)
    except ValueError:
        return False
