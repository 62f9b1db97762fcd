"""A request body larger than REQUEST_MAX_BYTES is refused with 413 and a Vietnamese page,
before it is read: checked against a real gunicorn, with a body announced but never sent."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.net import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = {**os.environ, "REQUEST_MAX_BYTES": str(5 * 1024 * 1024), "VAR_DIR": str(tmp_path)}
    process = subprocess.Popen(
        # The production configuration, with one process on a free port.
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--no-control-socket",
         "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    assert wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 30)
    yield port
    process.terminate()
    process.wait(timeout=10)


def _post_headers_only(port: int, length: int) -> bytes:
    """Announce a body of `length` bytes, send none of it, and read what comes back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(
            b"POST /documents/new/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Cookie: django_language=vi\r\n"
            + f"Content-Length: {length}\r\n\r\n".encode()
        )
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    return reply


def test_an_oversized_upload_is_refused_before_its_body_is_sent(gunicorn):
    started = time.monotonic()
    reply = _post_headers_only(gunicorn, 2 * 1024 * 1024 * 1024)
    assert time.monotonic() - started < 10
    head, _sep, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    text = body.decode()
    assert "Dữ liệu gửi lên (2,0\xa0GB) vượt quá mức cho phép 5,0\xa0MB" in text


def test_a_request_within_the_limit_goes_on_to_the_site(gunicorn):
    with socket.create_connection(("127.0.0.1", gunicorn), timeout=10) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    assert not reply.startswith(b"HTTP/1.1 413")
