"""Printable documents: every PDF Tend makes is laid out here by WeasyPrint."""

from __future__ import annotations


def render_pdf(html: str) -> bytes:
    """Lay out a self-contained HTML document as PDF, never fetching a resource.

    A document is self-contained; fetching anything (a URL a clinician typed into a field,
    say) would tell a third party, or a service inside the network, that a client's record
    was printed. Only inline `data:` resources are read.
    """
    from weasyprint import HTML  # takes seconds to import; most requests never print
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())
