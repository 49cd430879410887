"""schema.org JobPosting structured data for a public posting page."""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Any

from django.utils import timezone

from tend.accounts.models import US_STATES
from tend.careers.models import EmploymentType, JobPosting, PayBasis, WorkArrangement
from tend.careers.pay import onet_code_for
from tend.licensure.models import LicenseFamily

_EMPLOYMENT = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.PER_DIEM: "PER_DIEM",
}
_UNIT = {
    PayBasis.SALARY: "YEAR",
    PayBasis.HOURLY: "HOUR",
    PayBasis.PER_SESSION: "YEAR",
    PayBasis.FEE_SPLIT: "YEAR",
}
_STATE_NAMES = dict(US_STATES)
# Characters that could end the <script> element or open an HTML comment inside it.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def posting_json_ld(posting: JobPosting, *, url: str) -> dict[str, Any]:
    """The JobPosting object. Per-session and fee-split pay is given as the normalized
    annual figure (schema.org has no per-session unit); hourly and salary as stated."""
    is_remote = posting.work_arrangement == WorkArrangement.REMOTE
    valid_through = timezone.make_aware(
        datetime.combine(posting.valid_through, time(23, 59, 59)),
        timezone.get_default_timezone(),
    )
    stated = posting.pay_basis in {PayBasis.SALARY, PayBasis.HOURLY}
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description,
        "datePosted": posting.posted_on.isoformat(),
        "validThrough": valid_through.isoformat(),
        "employmentType": _EMPLOYMENT[EmploymentType(posting.employment_type)],
        "hiringOrganization": {"@type": "Organization", "name": posting.organization.name},
        "identifier": {
            "@type": "PropertyValue",
            "name": posting.organization.name,
            "value": str(posting.public_id),
        },
        "url": url,
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": float(posting.pay_min) if stated else posting.annual_pay_min,
                "maxValue": float(posting.pay_max) if stated else posting.annual_pay_max,
                "unitText": _UNIT[PayBasis(posting.pay_basis)],
            },
        },
        "qualifications": "Licence accepted: "
        + ", ".join(LicenseFamily(code).label for code in posting.license_family_list)
        + (f" ({posting.license_titles})" if posting.license_titles else "")
        + " in "
        + ", ".join(posting.licensed_state_list)
        + ("; associates welcome" if posting.accepts_associates else ""),
        "educationRequirements": posting.education_requirements
        or {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "postgraduate degree",
        },
        "experienceRequirements": posting.experience_requirements or "No minimum stated.",
        "occupationalCategory": onet_code_for(posting.license_family_list[0]),
        "applicantLocationRequirements": [
            {"@type": "State", "name": _STATE_NAMES[code]} for code in posting.licensed_state_list
        ],
    }
    if is_remote:
        data["jobLocationType"] = "TELECOMMUTE"
    else:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": posting.city,
                "addressRegion": posting.location_state,
                "addressCountry": "US",
            },
        }
    return data


def json_ld_text(data: dict[str, Any]) -> str:
    """JSON safe to place inside a <script type="application/ld+json"> element."""
    return json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
