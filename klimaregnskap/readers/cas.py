"""CAS registry numbers: normalisation and the check-digit rule.

A CAS number is ``NNNNNNN-NN-R``: two to seven digits, two digits, one check
digit R = (sum of each other digit times its position counted from the right,
starting at 1) mod 10.
"""

from __future__ import annotations

import re

_CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


def normalise_cas(text: str) -> str:
    """Strip blanks and leading zeros from a CAS number as written.

    Parameters
    ----------
    text : str
        E.g. ``" 0117-81-7 "``.

    Returns
    -------
    str
        E.g. ``"117-81-7"``; the input stripped if it is not CAS-shaped.
    """
    s = str(text).strip().replace("\u2010", "-").replace("\u2013", "-").replace(" ", "")
    m = _CAS_RE.match(s)
    if not m:
        return s
    return f"{int(m.group(1))}-{m.group(2)}-{m.group(3)}"


def is_valid_cas(text: str) -> bool:
    """Whether ``text`` is a well-formed CAS number with a correct check digit.

    Parameters
    ----------
    text : str

    Returns
    -------
    bool

    Examples
    --------
    >>> is_valid_cas("117-81-7")   # DEHP
    True
    >>> is_valid_cas("117-81-8")
    False
    """
    m = _CAS_RE.match(normalise_cas(text))
    if not m:
        return False
    digits = m.group(1) + m.group(2)
    total = sum(int(d) * (i + 1) for i, d in enumerate(reversed(digits)))
    return total % 10 == int(m.group(3))
