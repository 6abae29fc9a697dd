"""Data sources named by a connection string (room cli): recognised, shown without credentials, and their
credentials handed to the chapter's kernel through libpq's environment instead of its parameters.

``casebook run --data`` (and ``-p data_path=``) takes a file, a folder or a pattern, or a server:
``postgresql://`` / ``postgres://`` URLs and Spark masters (``spark://host:7077``, ``local``,
``local[N]``), which :func:`casebook.io.order_servers.server_kind` recognises. Such a value is no file:
it is neither resolved against the current folder nor checked on disk. Its credentials never reach the
chapter's notebook: :func:`split_credentials` takes the user and the password out of a PostgreSQL URL
(they become ``PGUSER`` and ``PGPASSWORD`` in the kernel's environment, where libpq, and so psycopg,
reads them, as it reads ``~/.pgpass``); the notebook, its outputs, the report and every message show
:func:`display` (scheme, host, port and database only) or text passed through :func:`redact`.

May import: the foundation, io (order_servers, only when a value looks like a URL: it loads ibis).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from casebook.errors import ParameterError

#: ``scheme://user:password@`` (or ``scheme://user@``) inside any text, for :func:`redact`.
_USERINFO = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)[^\s/@'\"]*@")
#: Query keys of a PostgreSQL URL that carry credentials, and the libpq variable each becomes.
_QUERY_CREDENTIALS = {"user": "PGUSER", "password": "PGPASSWORD"}


def server_kind(value: object) -> str | None:
    """"postgres" or "spark" when ``value`` names a server rather than a file, else None."""
    text = str(value).strip()
    if "://" not in text and not text.startswith("local"):
        return None  # a file: no need to load the server readers (and ibis) to say so
    from casebook.io.order_servers import server_kind as kind

    return kind(text)


def is_connection(value: object) -> bool:
    """True when ``value`` is a connection string (a PostgreSQL URL or a Spark master), not a path."""
    return isinstance(value, str) and server_kind(value) is not None


def split_credentials(value: str) -> tuple[str, dict[str, str]]:
    """The connection string to give the chapter, and the environment variables that carry what was taken
    out of it: a PostgreSQL URL's user and password (``user:password@``, or ``?user=``/``?password=``)
    become ``PGUSER`` and ``PGPASSWORD``; its other parts stay. A Spark master holds none (refused if it
    does); any other value is returned as it is."""
    kind = server_kind(value)
    text = value.strip()
    if kind is None:
        return value, {}
    parts = urlsplit(text) if "://" in text else None
    if kind == "spark":
        if parts is not None and "@" in parts.netloc:
            raise ParameterError(f"data_path {display(text)}: a Spark master URL holds no user or password; "
                                 "expected spark://HOST:PORT, local or local[N]")
        return text, {}
    env: dict[str, str] = {}
    if parts.username:
        env["PGUSER"] = unquote(parts.username)
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
    query = []
    for key, item in parse_qsl(parts.query, keep_blank_values=True):
        if key in _QUERY_CREDENTIALS:
            env[_QUERY_CREDENTIALS[key]] = item
        else:
            query.append((key, item))
    if not env:
        return text, {}  # nothing to take out: the URL as given
    return _join(parts.scheme, parts.netloc.rpartition("@")[2], parts.path, urlencode(query, quote_via=quote), parts.fragment), env


def display(value: str) -> str:
    """A connection string as reports and messages show it: scheme, host, port and database (no user,
    password or query), e.g. ``postgresql://localhost:5432/shop``; a Spark master as given."""
    text = value.strip()
    if "://" not in text:
        return text
    parts = urlsplit(text)
    return _join(parts.scheme, parts.netloc.rpartition("@")[2], parts.path)


def _join(scheme: str, netloc: str, path: str, query: str = "", fragment: str = "") -> str:
    """A URL from its parts, ``//`` kept when it names no host (``postgresql:///shop``: libpq's default)."""
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def redact(text: str) -> str:
    """``text`` with the user and password of every URL in it left out (``scheme://user:pw@host`` becomes
    ``scheme://host``): the last guard of what the command prints."""
    return _USERINFO.sub(r"\1", text)
