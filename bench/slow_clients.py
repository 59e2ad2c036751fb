"""Page loads while clients trickle POST bodies at 1 byte/s: the probe of issue 9, item 9, as a benchmark.

    .venv/bin/python bench/slow_clients.py --tricklers 5 --seconds 20
    PYTHONPATH=/path/to/other/checkout .venv/bin/python bench/slow_clients.py   # another version's serve

Starts the real `velinimet serve` (default options) on a free loopback port with a fresh SQLite data folder,
opens the tricklers (a login form POST with a valid CSRF cookie, so Django must read the body), then loads
/login/ once every 0.2 s for ``--seconds`` and prints the page-load percentiles and how each trickler ended.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

from bench.common import percentile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, timeout: float) -> tuple[int, float, str]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/login/")
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started, response.getheader("Set-Cookie") or ""
    except OSError:
        return 0, time.monotonic() - started, ""
    finally:
        conn.close()


def _trickle(port: int, csrf: str, seconds: float, outcomes: list[str]) -> None:
    sock = socket.create_connection(("127.0.0.1", port))
    started = time.monotonic()
    sock.sendall(
        b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Cookie: csrftoken=" + csrf.encode() + b"\r\nContent-Length: 100000\r\n\r\n"
    )
    sock.settimeout(1.0)
    outcome = "still open"
    while time.monotonic() - started < seconds:
        try:
            sock.sendall(b"x")
            answer = sock.recv(200)
        except TimeoutError:
            continue
        except OSError:
            outcome = "closed"
            break
        outcome = answer.split(b"\r\n", 1)[0].decode() if answer else "closed"
        break
    outcomes.append(f"{outcome} after {time.monotonic() - started:.0f} s")
    sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tricklers", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="velinimet-slow-")
    env = {**os.environ, "VELINIMET_DATA_DIR": data}
    env.pop("VELINIMET_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "velinimet", "migrate", "-v", "0"], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "velinimet", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        cookie = ""
        for _ in range(100):
            status, _, cookie = _get(port, 2)
            if status == 200:
                break
            time.sleep(0.3)
        for _ in range(8):
            _get(port, 5)
        csrf = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
        outcomes: list[str] = []
        threads = [
            threading.Thread(target=_trickle, args=(port, csrf, args.seconds + 15, outcomes))
            for _ in range(args.tricklers)
        ]
        for t in threads:
            t.start()
        time.sleep(0.5)
        timings: list[float] = []
        failed = 0
        until = time.monotonic() + args.seconds
        while time.monotonic() < until:
            status, seconds, _ = _get(port, 30)
            timings.append(seconds)
            failed += status != 200
            time.sleep(0.2)
        for t in threads:
            t.join()
        print(f"{args.tricklers} tricklers, {len(timings)} page loads in {args.seconds:.0f} s ({failed} failed)")
        print(
            f"page load p50 {percentile(timings, 50):.3f} s, p95 {percentile(timings, 95):.3f} s, "
            f"max {max(timings):.3f} s"
        )
        print("tricklers:", "; ".join(f"{n} x {what}" for what, n in sorted(Counter(outcomes).items())))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
