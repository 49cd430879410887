from __future__ import annotations

import importlib
import re

import pytest
from django.test import Client

import tend.settings
from tests.conftest import Cast, signed_in


def test_pages_carry_a_nonce_based_content_security_policy(cast: Cast) -> None:
    response = signed_in(cast.clinician).get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_every_script_tag_is_external_or_carries_the_nonce(cast: Cast) -> None:
    response = signed_in(cast.clinician).get("/")
    html = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or "nonce=" in tag, tag


def test_responses_carry_a_request_id(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_https_deployments_get_hsts_secure_cookies_and_redirects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEND_HTTPS", "1")
    https = importlib.reload(tend.settings)
    try:
        assert https.SECURE_HSTS_SECONDS == 31_536_000
        assert https.SESSION_COOKIE_SECURE and https.CSRF_COOKIE_SECURE
        assert https.SECURE_SSL_REDIRECT
        assert https.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    finally:
        monkeypatch.delenv("TEND_HTTPS")
        plain = importlib.reload(tend.settings)
    assert plain.SECURE_HSTS_SECONDS == 0
    assert not plain.SESSION_COOKIE_SECURE
