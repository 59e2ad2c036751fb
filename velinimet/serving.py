"""How `velinimet serve` meets slow and hostile clients: gunicorn processes running uvicorn's event loop.

The sync gthread worker gave each connection a thread from the moment its first byte arrived until its body
was read, so ten clients trickling a POST body at 1 byte/s held all 2 x 4 threads and every page load waited
(5 s and more, measured by core/tests/test_serve.py). Here the event loop reads headers and bodies for any
number of connections without a thread; a request gets one of ``WEB_THREADS`` slots (a thread, running
Django's sync views and ORM as before) only once its whole body has arrived. Three deadlines bound a client:

* request line and headers: ``REQUEST_HEADER_TIMEOUT`` from the connection opening or the previous answer,
  then the connection is closed (``HeaderDeadlineProtocol``);
* body: ``REQUEST_BODY_TIMEOUT`` plus one second per ``REQUEST_BODY_MIN_RATE`` bytes received (Apache
  mod_reqtimeout's rule: a fair upload of any size keeps going, a trickle is cut off), then 408 (``RequestGuard``);
* a body the app would refuse from its headers (chunked, or larger than the limit) is never read.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import IO, Any

import h11
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import FileResponse, HttpRequest, HttpResponseBase
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn_worker import UvicornWorker

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


def _setting(name: str) -> Any:
    # Read when first needed: gunicorn's master imports this module before Django is set up.
    from django.conf import settings

    return getattr(settings, name)


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request line and headers, which uvicorn lacks.

    Armed when the connection opens and again after each answer; when it fires and the client is still
    sending a request head (h11 state IDLE), the connection is closed. A request whose head has arrived is
    left to the body deadline and the app.
    """

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        if not self.transport.is_closing():
            timeout = float(_setting("REQUEST_HEADER_TIMEOUT"))
            self._header_timer = self.loop.call_later(timeout, self._headers_overdue)

    def _disarm_header_deadline(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_overdue(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


class Worker(UvicornWorker):
    """The gunicorn worker class of `velinimet serve` (``-k velinimet.serving.Worker``)."""

    # lifespan off: Django's ASGI handler serves only HTTP. The asyncio loop and the h11 parser are the
    # pure-Python, well-trodden pair; the header deadline above is written against h11's states.
    CONFIG_KWARGS = {"loop": "asyncio", "http": HeaderDeadlineProtocol, "lifespan": "off", "server_header": False}


class Handler(ASGIHandler):
    """Django's ASGI handler, streaming file downloads in blocks instead of reading them whole.

    Under ASGI Django reads a sync iterator whole into memory before sending it (with a warning), which for
    WhiteNoise's static files and for export downloads would hold the entire file in memory.
    """

    async def run_get_response(self, request: HttpRequest) -> HttpResponseBase:
        response = await super().run_get_response(request)
        if isinstance(response, FileResponse) and response.file_to_stream is not None:
            response.streaming_content = _read_blocks(response.file_to_stream, response.block_size)
        return response


async def _read_blocks(filelike: IO[bytes], size: int) -> AsyncIterator[bytes]:
    read = sync_to_async(filelike.read)
    while block := await read(size):
        yield block


class RequestGuard:
    """ASGI middleware: the body deadline, no body read for a request refused by its headers, and the slots."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._slots: asyncio.Semaphore | None = None

    def slots(self) -> asyncio.Semaphore:
        # Made in the worker's running loop, on the first request.
        if self._slots is None:
            self._slots = asyncio.Semaphore(int(_setting("WEB_THREADS")))
        return self._slots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from velinimet.core.transfer import body_is_refused

        headers = {name.lower(): value.decode("latin-1") for name, value in scope["headers"]}
        skip_body = body_is_refused(scope["path"], headers.get(b"content-length"), headers.get(b"transfer-encoding"))
        request = _GuardedRequest(self.slots(), receive, skip_body)
        try:
            await self.app(scope, request.receive, request.send_closing(send))
            if request.timed_out and not request.response_started:
                await _send_timeout(scope, headers, send)
        finally:
            request.release()


class _GuardedRequest:
    """One request's view of the connection: its body deadline and its slot."""

    def __init__(self, slots: asyncio.Semaphore, receive: Receive, skip_body: bool) -> None:
        self.slots = slots
        self.server_receive = receive
        self.skip_body = skip_body
        self.body_done = False
        self.timed_out = False
        self.response_started = False
        self.holds_slot = False
        self.received = 0
        self.started = asyncio.get_running_loop().time()

    async def receive(self) -> Message:
        message: Message
        while self.body_done:  # Django listening for a disconnect while the view runs
            message = await self.server_receive()
            if message["type"] != "http.request":  # body chunks of a refused request are dropped
                return message
        if self.skip_body:
            message = {"type": "http.request", "body": b"", "more_body": False}
        else:
            loop = asyncio.get_running_loop()
            rate = max(1, int(_setting("REQUEST_BODY_MIN_RATE")))
            deadline = self.started + float(_setting("REQUEST_BODY_TIMEOUT")) + self.received / rate
            try:
                message = await asyncio.wait_for(self.server_receive(), timeout=max(0.0, deadline - loop.time()))
            except TimeoutError:
                self.timed_out = True
                return {"type": "http.disconnect"}
            if message["type"] != "http.request":
                return message
            self.received += len(message.get("body", b""))
            if message.get("more_body", False):
                return message
        self.body_done = True
        await self.slots.acquire()  # the whole body is here: now the request may take a thread
        self.holds_slot = True
        return message

    def send_closing(self, send: Send) -> Send:
        """``send`` that closes the connection after an answer given without reading the whole body."""

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.response_started = True
                if self.skip_body or not self.body_done:
                    message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        return guarded_send

    def release(self) -> None:
        if self.holds_slot:
            self.holds_slot = False
            self.slots.release()


async def _send_timeout(scope: Scope, headers: dict[bytes, str], send: Send) -> None:
    """408 in the API's error shape on API paths, plain text elsewhere, and the connection closed."""
    from django.http.cookie import parse_cookie

    from velinimet.core.transfer import body_timeout, error_response

    request = HttpRequest()
    request.path = scope["path"]
    request.META["HTTP_ACCEPT_LANGUAGE"] = headers.get(b"accept-language", "")
    request.COOKIES = parse_cookie(headers.get(b"cookie", ""))
    response = error_response(request, body_timeout, "request_timeout", 408)
    response_headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in response.items()]
    response_headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": 408, "headers": response_headers})
    await send({"type": "http.response.body", "body": response.content})
