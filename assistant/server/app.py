"""The ASGI application: POST /webhook, GET /healthz, /readyz and /metrics.

FastAPI is imported inside `create_app`, so importing this module costs nothing. The module does
not use postponed annotations: the handlers are closures whose annotations (Request) must be real
objects for FastAPI to see them.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from assistant.server.jobqueue import Runner
from assistant.server.service import Reply, WebhookService
from assistant.server.settings import ServeSettings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.requests import Request


def create_app(
    settings: ServeSettings, runner: Runner, *, service: WebhookService | None = None
) -> "FastAPI":
    """A FastAPI app serving the webhook; workers start with the app's lifespan and drain at its end."""
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse, Response

    svc = service or WebhookService(settings, runner)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        svc.start()
        try:
            yield
        finally:
            await svc.shutdown()

    app = FastAPI(title="shipmate serve", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = svc

    def respond(reply: Reply) -> Response:
        return JSONResponse(reply.body, status_code=reply.status, headers=reply.headers)

    @app.get("/healthz")
    async def healthz() -> Response:
        return JSONResponse({"status": "alive"})

    @app.get("/readyz")
    async def readyz() -> Response:
        if svc.ready():
            return JSONResponse({"status": "ready", "queued": svc.queue.depth, "running": svc.queue.running})
        reason = "shutting down" if svc.draining else "workers not running"
        return JSONResponse({"status": "not ready", "reason": reason}, status_code=503)

    @app.get("/metrics")
    async def metrics() -> Response:
        from assistant.server.metrics import CONTENT_TYPE

        return Response(svc.metrics.exposition(), media_type=CONTENT_TYPE)

    @app.post("/webhook")
    async def webhook(request: Request) -> Response:
        early = svc.unavailable()
        if early is not None:
            return respond(early)
        body = await read_limited(request, settings.max_body_bytes)
        if body is None:
            return respond(
                svc.refuse("too_large", 413, f"the body is larger than {settings.max_body_bytes} bytes")
            )
        return respond(svc.handle(request.headers, body))

    return app


async def read_limited(request: "Request", limit: int) -> bytes | None:
    """The raw body, or None as soon as it is known to exceed `limit` (never reads more than that)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                return None
        except ValueError:
            return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
