"""How personal numbers look on screen: enough to recognise, never enough to rebuild.

A 身份证 number is 18 characters: 6 region digits (GB/T 2260), 8 birth-date digits, 3 sequence digits (the
last one odd for men, even for women) and an ISO 7064 MOD 11-2 check character. Pages also show a person's
district, gender and (by role, see ``accounts.permissions.can_see_birth_date``) birth date or year, so a mask
that hid only the region and birth date (``2101**********1234``) hid what everyone could read elsewhere: the
last four are then the whole secret. The mask keeps the first four digits (province and city, also shown as
the district) and the check character only; all three sequence digits stay hidden. A viewer who knows the
region, the full birth date and the gender is then left with 500 sequences, of which about 45 carry the
shown check character; with the birth year only, about 16,000 (``id_candidates`` counts them exactly).

Phones keep the operator prefix and the last four (10,000 candidates); passports at least three hidden
characters (1,000 or more candidates).
"""

import datetime as dt
import re
from collections.abc import Iterable

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # the check character for a weighted sum ≡ 0, 1, … 10 (mod 11)
HIDDEN = "*"


def mask_id_number(value: str) -> str:
    """2101*************3 for an 18-character 身份证; for a passport, the first and last two characters
    when at least three stay hidden, else the last two only (at least three characters always hidden)."""
    value = value.strip().upper()
    if len(value) == 18:
        return value[:4] + HIDDEN * 13 + value[-1]
    if len(value) >= 7:
        return value[:2] + HIDDEN * (len(value) - 4) + value[-2:]
    if len(value) >= 5:
        return HIDDEN * (len(value) - 2) + value[-2:]
    return HIDDEN * len(value)


def mask_phone(value: str) -> str:
    """138****5678."""
    value = value.strip()
    if len(value) < 7:
        return HIDDEN * len(value)
    return value[:3] + HIDDEN * (len(value) - 7) + value[-4:]


_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]*\d{7,}[0-9A-Za-z]*(?![0-9A-Za-z])")


def mask_numbers_in_text(text: str) -> str:
    """Every run of seven or more digits in a message, masked (an 11-digit run as a phone, anything else as
    an ID): for messages that might echo what someone typed into the wrong column."""

    def mask(match: re.Match) -> str:
        word = match.group(0)
        if len(word) == 11 and word.isdigit():
            return mask_phone(word)
        return mask_id_number(word)

    return _LONG_NUMBER.sub(mask, text)


def birth_year_shown(birth_date: dt.date | None) -> str:
    """The birth date as shown to a viewer who does not need the day: 1990年."""
    return f"{birth_date.year}年" if birth_date else "—"


# --- How many numbers fit what is shown (the rebuild test, and the counts in the docstring above) ---------------


def _allowed(mask_char: str, alphabet: str) -> str:
    return alphabet if mask_char == HIDDEN else (mask_char if mask_char in alphabet else "")


def _sum_histogram(positions: Iterable[tuple[int, str]]) -> list[int]:
    """For digits at (index, allowed digits) positions: how many combinations give each weighted sum mod 11."""
    histogram = [1] + [0] * 10
    for index, digits in positions:
        step = [0] * 11
        for residue, count in enumerate(histogram):
            if count:
                for digit in digits:
                    step[(residue + ID_WEIGHTS[index] * int(digit)) % 11] += count
        histogram = step
    return histogram


def id_candidates(mask: str, *, regions: Iterable[str] | None = None, births: Iterable[dt.date] | None = None,
                  male: bool | None = None, earliest: dt.date = dt.date(1900, 1, 1),
                  latest: dt.date | None = None) -> int:
    """How many valid 18-character 身份证 numbers agree with everything a viewer knows.

    ``mask`` is the shown number (``*`` for a hidden character); ``regions`` the region codes the viewer
    believes possible (the shown district, say), or None for any digits; ``births`` the possible birth dates
    (one date, the days of a year, the days an age allows), or None for any date from ``earliest`` to
    ``latest``; ``male`` the shown gender, or None. A number counts when it fits the mask, one of the regions
    and dates, the gender's parity, and its own check character."""
    mask = mask.strip().upper()
    if len(mask) != 18:
        raise ValueError("an 18-character mask is needed")
    digits = "0123456789"

    # Region: the possible first six digits, as a histogram of their weighted sum mod 11.
    if regions is None:
        region_hist = _sum_histogram((i, _allowed(mask[i], digits)) for i in range(6))
    else:
        region_hist = [0] * 11
        for code in set(regions):
            if len(code) == 6 and code.isdigit() and all(m in (HIDDEN, c) for m, c in zip(mask[:6], code, strict=True)):
                region_hist[sum(ID_WEIGHTS[i] * int(c) for i, c in enumerate(code)) % 11] += 1

    # Birth date: the possible real dates that fit the mask's digits 7-14.
    if births is None:
        latest = latest or dt.date.today()
        births = (dt.date.fromordinal(n) for n in range(earliest.toordinal(), latest.toordinal() + 1))
    date_hist = [0] * 11
    for day in set(births):
        text = f"{day:%Y%m%d}"
        if len(text) == 8 and all(m in (HIDDEN, c) for m, c in zip(mask[6:14], text, strict=True)):
            date_hist[sum(ID_WEIGHTS[6 + i] * int(c) for i, c in enumerate(text)) % 11] += 1

    # Sequence: three digits, the last one's parity the gender.
    last = _allowed(mask[16], digits)
    if male is not None:
        last = "".join(d for d in last if int(d) % 2 == (1 if male else 0))
    sequence_hist = _sum_histogram([(14, _allowed(mask[14], digits)), (15, _allowed(mask[15], digits)), (16, last)])

    # Check character: the weighted sum of the first 17 picks it; keep the sums whose character fits the mask.
    fits = [mask[17] in (HIDDEN, ID_CHECK_CHARS[s]) for s in range(11)]
    prefix_hist = [sum(region_hist[a] * date_hist[(p - a) % 11] for a in range(11)) for p in range(11)]
    return sum(prefix_hist[p] * sequence_hist[s] for p in range(11) for s in range(11) if fits[(p + s) % 11])


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(w * int(d) for w, d in zip(ID_WEIGHTS, first17, strict=True)) % 11]


def other_candidates(mask: str, *, alphabet_size: int = 10) -> int:
    """Candidates for a phone or passport mask: every hidden character may be any of ``alphabet_size``."""
    return alphabet_size ** mask.count(HIDDEN)
