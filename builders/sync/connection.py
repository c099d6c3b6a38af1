"""Finding and talking to the Label Studio server, with errors a person can act on.

URL and key come from ``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY``, else from the local server
started by ``agitprop studio start``. No message ever contains the key.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from builders.studio.server import StudioHome

T = TypeVar("T")
TIMEOUT = 300.0  # a 10,000-task import or export is one request


class StudioConnectionError(RuntimeError):
    """The server cannot be reached, refuses the key, or failed a request."""


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: str

    def __repr__(self) -> str:  # the key must not leak through a traceback or a log line
        return f"Connection(url={self.url!r}, api_key=<hidden>)"

    def client(self) -> LabelStudio:
        return LabelStudio(base_url=self.url, api_key=self.api_key, timeout=TIMEOUT)

    def call(self, what: str, function: Callable[..., T], *args, **kwargs) -> T:
        """Run one API call; turn transport and HTTP failures into a StudioConnectionError."""
        try:
            return function(*args, **kwargs)
        except httpx.TransportError as exc:
            raise StudioConnectionError(
                f"cannot reach Label Studio at {self.url} while trying to {what} "
                f"({type(exc).__name__}: {_strip_key(str(exc), self.api_key) or 'no answer'}). "
                "Is it running? Start one with `agitprop studio start`, or set LABEL_STUDIO_URL."
            ) from None
        except ApiError as exc:
            if exc.status_code in (401, 403):
                raise StudioConnectionError(
                    f"Label Studio at {self.url} refused the API key (HTTP {exc.status_code}) "
                    f"while trying to {what}. Check LABEL_STUDIO_API_KEY (not shown here); "
                    'for the local server run: eval "$(agitprop studio env)"'
                ) from None
            body = _strip_key(str(exc.body)[:500], self.api_key)
            raise StudioConnectionError(
                f"Label Studio at {self.url} answered HTTP {exc.status_code} while trying to "
                f"{what}: {body}"
            ) from None


def _strip_key(text: str, key: str) -> str:
    return text.replace(key, "<hidden>") if key else text


def resolve_connection(home: StudioHome | None = None) -> Connection:
    """The server to talk to: the environment first, then the local ``agitprop studio`` one."""
    url = os.environ.get("LABEL_STUDIO_URL")
    key = os.environ.get("LABEL_STUDIO_API_KEY")
    home = home or StudioHome.default()
    if not url:
        url = home.url()
    if not key and home.api_key_file.exists():
        key = home.api_key()
    if not url:
        raise StudioConnectionError(
            "no Label Studio server: set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY, or start the "
            'local one with `agitprop studio start` and run eval "$(agitprop studio env)"'
        )
    if not key:
        raise StudioConnectionError(
            f"no API key for {url}: set LABEL_STUDIO_API_KEY (for the local server: "
            'eval "$(agitprop studio env)")'
        )
    return Connection(url.rstrip("/"), key)


def connect(connection: Connection) -> LabelStudio:
    """A client whose key has been checked against the server (one cheap request)."""
    client = connection.client()
    connection.call("check the API key", client.users.whoami)
    return client
