"""The hotline's page for call-centre agents: one search form, the same answer as `lookup`.

A small Starlette application, safe by default:
- every request needs the token (printed at start, or read from a file): a first visit to
  `/?token=...` sets it as a cookie (HttpOnly, SameSite=Strict) and sends the browser on to
  `/`, and the form carries it too; without it every path answers 403 with no detail;
- searches are POSTed, so no searched value ever lands in a URL, a browser's history or a
  log; the server's access log is off, and an unexpected error is logged by its type only;
- it reads the index and writes nothing but the audit (lookup.Audit): one line per look-up,
  the searched value as a keyed hash only;
- pages are plain HTML (no script), never cached, never framed, and send no referrer.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from scoping import private, readout
from scoping.errors import InputError, SearchError
from scoping.lookup import Answer, Audit, Hotline, Search

log = logging.getLogger("scoping.serve")
COOKIE = "scoping_hotline"
MIN_TOKEN = 16
FIELDS = ("phone", "email", "key", "last_name", "birth_date", "first_name", "postal_code")
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none';"
        " frame-ancestors 'none'"
    ),
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def read_token(path: Path) -> tuple[str, bool]:
    """The token in `path` (its first line), or a new one written there (0600) when the file
    does not exist; and whether it was made."""
    if not path.exists():
        token = new_token()
        private.write_file(path, (token + "\n").encode("ascii"))
        return token, True
    token = path.read_text(encoding="utf-8").strip()
    if len(token) < MIN_TOKEN:
        raise InputError(
            f"{path}: the token is shorter than {MIN_TOKEN} characters",
            "remove the file to have a new token made",
        )
    return token, False


@dataclass
class _Form:
    phone: str = ""
    email: str = ""
    key: str = ""
    last_name: str = ""
    birth_date: str = ""
    first_name: str = ""
    postal_code: str = ""
    agent: str = ""


def create_app(hotline: Hotline, audit: Audit, token: str) -> Starlette:
    """The application over an open index; `token` is the one every request must show."""
    env = Environment(
        loader=FileSystemLoader(readout.templates_dir()),
        autoescape=select_autoescape(["html"]),
    )
    page = env.get_template("page.html")

    def allowed(request: Request, form: dict[str, Any] | None = None) -> bool:
        shown = [request.cookies.get(COOKIE, "")]
        if form is not None:
            shown.append(str(form.get("token", "")))
        return any(hmac.compare_digest(s.encode(), token.encode()) for s in shown if s)

    def html(lang: str, **values: Any) -> HTMLResponse:
        body = page.render(
            lang=lang,
            w=readout.words(lang),
            languages=readout.LANGUAGES,
            case_id=hotline.case_id,
            token=token,
            form=values.pop("form", _Form()),
            persons=values.pop("persons", []),
            **values,
        )
        return HTMLResponse(body, headers=HEADERS)

    def language(value: object) -> str:
        return value if isinstance(value, str) and value in readout.LANGUAGES else "en"

    async def home(request: Request) -> Response:
        given = request.query_params.get("token", "")
        if given and hmac.compare_digest(given.encode(), token.encode()):
            # The token leaves the address bar: the browser keeps it as a cookie.
            response = RedirectResponse("/", status_code=303, headers=HEADERS)
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
            return response
        if not allowed(request):
            return forbidden()
        return html(language(request.query_params.get("lang")), searched=False)

    async def search(request: Request) -> Response:
        form = dict(await request.form())
        if not allowed(request, form):
            return forbidden()
        lang = language(form.get("lang"))
        values = _Form(**{k: str(form.get(k, ""))[:200] for k in (*FIELDS, "agent")})
        try:
            answer = _search(hotline, values)
            audit.record(answer, values.agent.strip() or None, "serve")
        except SearchError as exc:
            return html(lang, form=values, searched=True, error=exc.message)
        except Exception as exc:  # logged by its type only: a message could quote a value
            log.error("look-up failed: %s", type(exc).__name__)
            return PlainTextResponse("Internal error", status_code=500, headers=HEADERS)
        persons = [
            {
                "name": readout.name_of(p),
                "affected": p.affected,
                "lines": readout.describe(p, lang, hotline),
                "sentence": readout.sentence(p, lang, hotline),
            }
            for p in answer.persons
        ]
        return html(lang, form=values, searched=True, persons=persons, kind=answer.kind)

    async def fallback(request: Request) -> Response:
        if not allowed(request):
            return forbidden()
        return PlainTextResponse("Not found", status_code=404, headers=HEADERS)

    return Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/search", search, methods=["POST"]),
            Route("/{path:path}", fallback, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        ]
    )


def forbidden() -> Response:
    return PlainTextResponse("Forbidden", status_code=403, headers=HEADERS)


def _search(hotline: Hotline, form: _Form) -> Answer:
    fields = {k: v for k, v in asdict(form).items() if k != "agent"}
    return hotline.search(Search(**{k: (v or None) for k, v in fields.items()}))


def serve(hotline: Hotline, audit: Audit, token: str, host: str, port: int) -> None:
    """Run the application with uvicorn until interrupted: no access log, no server header,
    warnings and errors only."""
    import uvicorn

    uvicorn.run(
        create_app(hotline, audit, token),
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        server_header=False,
        date_header=False,
    )
