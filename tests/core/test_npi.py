from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tend.core.validators import npi_is_valid, validate_npi


def test_it_accepts_the_cms_example_npi() -> None:
    # CMS's published worked example of the check digit: 123456789 -> check digit 3.
    assert npi_is_valid("1234567893")


@pytest.mark.parametrize(
    "npi", ["1234567890", "1234567894", "123456789", "12345678931", "abcdefghij", ""]
)
def test_it_rejects_npis_failing_the_check(npi: str) -> None:
    assert not npi_is_valid(npi)


def test_validator_explains_the_problem() -> None:
    with pytest.raises(ValidationError, match="NPI check digit"):
        validate_npi("1234567890")
