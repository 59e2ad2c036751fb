"""The API's JSON parser: strict UTF-8, strict JSON, and a nesting limit checked before parsing.

Python's json module recurses once per nesting level, so a body of 100,000 ``[`` (100 kB, well under the
request size limit) raises RecursionError in the web process: a 500, and a stack's worth of work for nothing.
No API body needs more than a few levels; ``API_JSON_MAX_DEPTH`` (default 32) is generous.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.settings import api_settings

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)  # a JSON string; unambiguous, so no backtracking
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether ``text`` nests lists/objects deeper than ``limit``, brackets inside strings not counted.

    Cost: one pass to drop strings and non-brackets, then at most ``limit + 1`` passes that each remove the
    innermost empty pairs (one level per pass, since re.sub does not rescan what it replaced): linear in the
    body, in C, with no recursion. Mismatched brackets are left for json.loads to call invalid.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _level in range(limit):
        if not brackets:
            return False
        brackets = _EMPTY_PAIR.sub("", brackets)
    return bool(brackets) and _EMPTY_PAIR.search(brackets) is not None


def _too_deep(limit: int) -> ParseError:
    message = _("The JSON body is nested more than %(limit)s levels deep.") % {"limit": limit}
    return ParseError(message, code="json_too_deep")


class JSONParser(BaseParser):
    """Parses ``application/json`` bodies; refuses invalid UTF-8, invalid JSON, NaN/Infinity and deep nesting."""

    media_type = "application/json"

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        # The body is already bounded by BodySizeLimitMiddleware (MAX_REQUEST_BODY), so reading it whole is fine.
        data = stream.read() if stream is not None else b""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = _("The request body is not valid UTF-8 (byte %(position)s).") % {"position": exc.start}
            raise ParseError(message) from exc
        limit = settings.API_JSON_MAX_DEPTH
        if json_depth_exceeds(text, limit):
            raise _too_deep(limit)
        try:
            if api_settings.STRICT_JSON:  # NaN and Infinity are not JSON; DRF's own parser refuses them too
                return json.loads(text, parse_constant=_refuse_constant)
            return json.loads(text)
        except RecursionError as exc:  # only if the scan above was fooled; never a 500
            raise _too_deep(limit) from exc
        except ValueError as exc:
            message = _("The request body is not valid JSON: %(error)s") % {"error": exc}
            raise ParseError(message) from exc


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a JSON number.") % {"name": name})
