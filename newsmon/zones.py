"""Time zones as configurations and publishers name them: IANA names, fixed offsets, abbreviations.

Core code (the configuration check reads a source's ``tz`` with it); the
connectors' date parsing (`newsmon.connectors.dates`) re-exports `get_zone`
and reads zone tokens next to times with `zone_token`.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Zone abbreviations seen next to times of day.  "IST" is read as India
# Standard Time (+05:30), as on Indian live blogs; Irish pages write "GMT"/"IST"
# rarely next to times.
ZONE_ABBREVIATIONS: dict[str, timedelta] = {
    "UTC": timedelta(0),
    "GMT": timedelta(0),
    "Z": timedelta(0),
    "WET": timedelta(0),
    "BST": timedelta(hours=1),
    "WEST": timedelta(hours=1),
    "CET": timedelta(hours=1),
    "MEZ": timedelta(hours=1),
    "CEST": timedelta(hours=2),
    "MESZ": timedelta(hours=2),
    "EET": timedelta(hours=2),
    "EEST": timedelta(hours=3),
    "MSK": timedelta(hours=3),
    "IST": timedelta(hours=5, minutes=30),
    "PKT": timedelta(hours=5),
    "HKT": timedelta(hours=8),
    "SGT": timedelta(hours=8),
    "JST": timedelta(hours=9),
    "AEST": timedelta(hours=10),
    "AEDT": timedelta(hours=11),
    "BRT": timedelta(hours=-3),
    "EST": timedelta(hours=-5),
    "EDT": timedelta(hours=-4),
    "CST": timedelta(hours=-6),
    "CDT": timedelta(hours=-5),
    "MST": timedelta(hours=-7),
    "MDT": timedelta(hours=-6),
    "PST": timedelta(hours=-8),
    "PDT": timedelta(hours=-7),
}

_OFFSET_TOKEN = re.compile(r"^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2}):?(\d{2})?$")


def get_zone(name: str) -> tzinfo:
    """An IANA zone ("Europe/Berlin"), a fixed offset ("+05:30") or an abbreviation ("BST").

    Raises ValueError("unknown time zone 'Mars/Olympus'") for anything else.
    """
    zone = zone_token(name)
    if zone is not None:
        return zone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def zone_token(token: str) -> tzinfo | None:
    """The zone of an abbreviation ("BST") or fixed offset ("+05:30", "GMT-3"), else None."""
    token = token.strip()
    if token.upper() in ZONE_ABBREVIATIONS:
        offset = ZONE_ABBREVIATIONS[token.upper()]
        return timezone(offset, token.upper()) if offset else UTC
    match = _OFFSET_TOKEN.match(token.upper())
    if match:
        sign = -1 if match.group(1) == "-" else 1
        hours, minutes = int(match.group(2)), int(match.group(3) or 0)
        if hours > 23 or minutes > 59:  # "+99:99" is no offset (and timezone() takes less than a day)
            return None
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    return None
