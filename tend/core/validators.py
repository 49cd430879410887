"""Validators for identifiers used across apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def npi_is_valid(npi: str) -> bool:
    """Check a National Provider Identifier: ten digits with a Luhn check digit.

    The Luhn sum is taken over the prefix 80840 followed by the first nine digits
    (CMS, "Requirements for Check Digit", NPI standard, 45 CFR 162.406).
    """
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(d) for d in "80840" + npi[:9]]
    total = 0
    # Double every second digit from the right of the payload (the check digit is excluded).
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    check = (10 - total % 10) % 10
    return check == int(npi[9])


def validate_npi(value: str) -> None:
    if not npi_is_valid(value):
        raise ValidationError(
            "Enter a valid 10-digit NPI; this number fails the NPI check digit.", code="npi"
        )
