"""`velinimet serve` as a real process on loopback: slow clients must not stall anyone else.

The probe that found issue 9's item 9: connections that send a POST's headers and then trickle the body at
1 byte/s held the server's threads, and ordinary page loads waited for over 20 s.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BODY_TIMEOUT = 4  # seconds: short so that the test is quick; the default is 30
HEADER_TIMEOUT = 3
TRICKLERS = 10  # more than the default 2 workers x 4 request threads


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, port: int, process: subprocess.Popen[bytes]) -> None:
        self.port = port
        self.process = process
        self.csrf = ""

    def login_post_head(self, length: int, extra: bytes = b"") -> bytes:
        """Headers of a login form POST that passes the CSRF cookie check, so Django reads its body."""
        return (
            b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Cookie: csrftoken="
            + self.csrf.encode()
            + b"\r\nContent-Length: "
            + str(length).encode()
            + b"\r\n"
            + extra
            + b"\r\n"
        )

    def fetch_csrf_cookie(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/login/")
        response = conn.getresponse()
        response.read()
        cookie = response.getheader("Set-Cookie") or ""
        self.csrf = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
        conn.close()

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=BODY_TIMEOUT * 3)

    def get(self, path: str = "/login/", timeout: float = 10) -> tuple[int, float]:
        """Status and seconds taken by one ordinary page load on a fresh connection."""
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            return response.status, time.monotonic() - started
        except OSError:
            return 0, time.monotonic() - started
        finally:
            conn.close()


@contextlib.contextmanager
def _server_database(env: dict[str, str]) -> Iterator[None]:
    """The server's own database: a SQLite file in its data folder, or a PostgreSQL database made for it."""
    url = env.get("VELINIMET_DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("VELINIMET_DATABASE_URL", None)
        yield
        return
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"velinimet_serve_live_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    env["VELINIMET_DATABASE_URL"] = f"{base}/{name}"
    try:
        yield
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("serve-data")
    env = {
        **os.environ,
        "VELINIMET_DATA_DIR": str(data),
        "VELINIMET_REQUEST_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "VELINIMET_REQUEST_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
    }
    with _server_database(env):
        yield from _run_server(env, data)


def _run_server(env: dict[str, str], data: Path) -> Iterator[Server]:
    subprocess.run([sys.executable, "-m", "velinimet", "migrate", "-v", "0"], env=env, check=True, timeout=120)
    port = _free_port()
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "velinimet", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    srv = Server(port, process)
    try:
        deadline = time.monotonic() + 30
        while srv.get(timeout=2)[0] != 200:
            assert process.poll() is None, Path(log.name).read_text()
            assert time.monotonic() < deadline, "velinimet serve did not start within 30 s"
            time.sleep(0.3)
        for _ in range(8):  # both worker processes have served a page (first loads compile templates)
            srv.get()
        srv.fetch_csrf_cookie()
        yield srv
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _trickle_body(server: Server, results: list[tuple[float, bytes]], stop: threading.Event) -> None:
    """Send a POST's headers, then its body at 1 byte/s until the server answers or hangs up."""
    sock = server.connect()
    started = time.monotonic()
    answer = b""
    try:
        sock.sendall(server.login_post_head(1000))
        sock.settimeout(1.0)
        for _ in range(BODY_TIMEOUT * 4):  # bounded: a server that never cuts us off fails the test
            if stop.is_set():
                break
            try:
                sock.sendall(b" ")
                chunk = sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
    finally:
        results.append((time.monotonic() - started, answer))
        sock.close()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def test_trickling_request_bodies_neither_stall_page_loads_nor_hang_on_forever(server: Server) -> None:
    results: list[tuple[float, bytes]] = []
    stop = threading.Event()
    tricklers = [threading.Thread(target=_trickle_body, args=(server, results, stop)) for _ in range(TRICKLERS)]
    for t in tricklers:
        t.start()
    time.sleep(0.5)  # every trickler has sent its headers and holds its connection
    timings: list[float] = []
    statuses: list[int] = []
    until = time.monotonic() + BODY_TIMEOUT - 1.5
    while time.monotonic() < until and len(timings) < 40:  # page loads while the tricklers hang
        status, seconds = server.get(timeout=5)
        statuses.append(status)
        timings.append(seconds)
    stop_at = time.monotonic() + BODY_TIMEOUT * 3
    for t in tricklers:
        t.join(timeout=max(0.1, stop_at - time.monotonic()))
    stop.set()
    for t in tricklers:
        t.join()
    print(f"page loads: {len(timings)}, p95 {_p95(timings):.3f} s, max {max(timings):.3f} s")
    assert statuses and set(statuses) == {200}, statuses
    assert _p95(timings) < 1.0, timings
    # Every trickler was cut off once its body deadline passed: a 408 answer or a closed connection.
    assert len(results) == TRICKLERS
    for seconds, answer in results:
        assert seconds < BODY_TIMEOUT + 3, results
        assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert any(answer.startswith(b"HTTP/1.1 408") for _, answer in results)


def test_a_body_that_keeps_a_fair_pace_is_not_cut_off(server: Server) -> None:
    """The deadline grows with the bytes received, so a slow but real upload is served past the base timeout."""
    sock = server.connect()
    body = f"csrfmiddlewaretoken={server.csrf}&username=nobody&password=wrong&pad={'x' * 6000}".encode()
    try:
        sock.sendall(server.login_post_head(len(body), b"Connection: close\r\n"))
        started = time.monotonic()
        step = 1000
        for offset in range(0, len(body), step):  # 1,000 bytes every 0.8 s: above the minimum rate
            sock.sendall(body[offset : offset + step])
            time.sleep(0.8)
        assert time.monotonic() - started > BODY_TIMEOUT
        answer = sock.recv(4096)
    finally:
        sock.close()
    # The login form was read and answered (wrong password): the body was not cut off.
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


def test_an_api_body_that_trickles_gets_408_in_the_error_shape(server: Server) -> None:
    sock = server.connect()
    started = time.monotonic()
    answer = b""
    try:
        sock.sendall(
            b"POST /api/v1/people/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Accept-Language: en\r\nContent-Length: 1000\r\n\r\n{"
        )
        sock.settimeout(1.0)
        for _ in range(BODY_TIMEOUT * 4):
            try:
                sock.sendall(b" ")
                chunk = sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            answer += chunk
    finally:
        sock.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer[:300]
    assert b"connection: close" in head.lower()
    assert json.loads(payload) == {
        "message": "The request body arrived too slowly; send it again.",
        "code": "request_timeout",
        "errors": {},
    }
    assert BODY_TIMEOUT - 0.5 < time.monotonic() - started < BODY_TIMEOUT + 3


def test_a_client_that_trickles_its_headers_is_disconnected(server: Server) -> None:
    sock = server.connect()
    started = time.monotonic()
    closed = False
    try:
        sock.sendall(b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sock.settimeout(1.0)
        for _ in range(HEADER_TIMEOUT * 4):
            try:
                sock.sendall(b"X")
                if sock.recv(4096) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = True
                break
    finally:
        sock.close()
    assert closed and time.monotonic() - started < HEADER_TIMEOUT + 2


def test_a_chunked_request_body_is_refused_with_411_by_the_real_server(server: Server) -> None:
    sock = server.connect()
    body = '{"first_name": "Ayşe"}'.encode()
    try:
        sock.sendall(
            b"POST /api/v1/people/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
        )
        answer = b""
        for _ in range(50):  # the server answers and hangs up: the unread body ends the connection
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        sock.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 411"), answer[:300]
    assert json.loads(payload)["code"] == "length_required"
