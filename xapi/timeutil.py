"""UTC clock and the ISO 8601 forms xAPI uses for timestamps and durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Return ``value`` as aware UTC; a naive value is taken to be UTC already.

    SQLite hands back ``DateTime(timezone=True)`` columns naive, though we only ever store UTC.

    Args:
        value: An aware datetime, or a naive one known to hold UTC.

    Returns:
        The same instant, aware, in UTC.
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def require_utc(value: datetime) -> datetime:
    """Check that ``value`` is timezone-aware UTC and truncate it to whole milliseconds.

    LRSs store milliseconds; sending no finer a precision means the LRS's copy compares equal to
    ours when a 409 makes us check what it holds.

    Args:
        value: The datetime to check.

    Returns:
        ``value`` truncated to milliseconds, with ``UTC`` as its tzinfo.

    Raises:
        ValueError: If ``value`` is naive or not at UTC offset zero.
    """
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("timestamp must be timezone-aware (UTC)")
    if offset != timedelta(0):
        raise ValueError(f"timestamp must be in UTC, not at offset {offset}")
    return value.replace(microsecond=value.microsecond // 1000 * 1000, tzinfo=UTC)


def format_timestamp(value: datetime) -> str:
    """Format an aware UTC datetime as ``YYYY-MM-DDTHH:MM:SS.mmmZ``.

    Args:
        value: A timezone-aware datetime.

    Returns:
        The ISO 8601 text in UTC with millisecond precision.
    """
    value = as_utc(value)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def iso_duration(value: timedelta) -> str:
    """Format a non-negative duration as ISO 8601 (``PT1H2M3.5S``), to 0.01 s as xAPI keeps.

    Args:
        value: The duration.

    Returns:
        The ISO 8601 duration text.

    Raises:
        ValueError: If ``value`` is negative.
    """
    if value < timedelta(0):
        raise ValueError("duration must not be negative")
    centis = value // timedelta(milliseconds=10)
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    seconds, hundredths = divmod(rest, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if seconds or hundredths or text == "PT":
        fraction = f".{hundredths:02d}".rstrip("0") if hundredths else ""
        text += f"{seconds}{fraction}S"
    return text
