"""Validation of absolute IRIs (RFC 3987), as xAPI requires for ids, types and extension keys.

The grammar below is a strict subset of RFC 3987's ``IRI`` rule: it leaves out IP-literal hosts
(``[…]``) and private-use characters in queries, neither of which the tool ever emits. Tests
check it against the ``rfc3987`` package that Ralph uses, so anything accepted here is accepted
there too.
"""

from __future__ import annotations

import functools
import re

_UCSCHAR = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
    "\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd"
    "\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
    "\U000d0000-\U000dfffd\U000e1000-\U000efffd"
)
_UNRESERVED = f"A-Za-z0-9\\-._~{_UCSCHAR}"
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_PCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_USERINFO = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*"
_REG_NAME = f"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*"
_AUTHORITY = f"(?:{_USERINFO}@)?{_REG_NAME}(?::[0-9]*)?"
_SEGMENT = f"{_PCHAR}*"
_SEGMENT_NZ = f"{_PCHAR}+"
_HIER = (
    f"(?://{_AUTHORITY}(?:/{_SEGMENT})*"
    f"|/(?:{_SEGMENT_NZ}(?:/{_SEGMENT})*)?"
    f"|{_SEGMENT_NZ}(?:/{_SEGMENT})*"
    f"|)"
)
_QUERY = f"(?:{_PCHAR}|[/?])*"
_IRI = re.compile(f"[A-Za-z][A-Za-z0-9+\\-.]*:{_HIER}(?:\\?{_QUERY})?(?:#{_QUERY})?")


@functools.lru_cache(maxsize=8192)
def is_iri(value: str) -> bool:
    """Tell whether ``value`` is an absolute IRI.

    Args:
        value: The candidate string.

    Returns:
        True when the whole string matches the IRI grammar.
    """
    return _IRI.fullmatch(value) is not None
