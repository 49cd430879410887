"""Printed documents never fetch a resource (`tend.core.pdf`)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tend.core.pdf import render_pdf


class _Recorder(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self) -> None:
        _Recorder.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listening() -> object:
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.paths = []
    yield server
    server.shutdown()
    server.server_close()


def test_a_document_naming_a_url_is_printed_without_fetching_it(listening: HTTPServer) -> None:
    base = f"http://127.0.0.1:{listening.server_address[1]}"
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css"></head>'
        f'<body><p>Safety plan</p><img src="{base}/pixel.png"></body></html>'
    )
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert _Recorder.paths == []


def test_an_inline_data_image_is_still_drawn() -> None:
    # A 1x1 PNG: documents may embed their own images inline.
    pixel = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
        "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    with_image = render_pdf(f'<img src="data:image/png;base64,{pixel}" width="40">')
    without = render_pdf('<p style="width: 40px"></p>')
    assert b"/Subtype /Image" in with_image
    assert b"/Subtype /Image" not in without
