"""Running the app under uvicorn with a graceful drain on SIGTERM/SIGINT.

The first signal does not close the listening socket at once: the server keeps answering, with
503 + Retry-After on /webhook and /readyz (so a load balancer stops sending and GitHub's
redelivery can go to another replica), while the workers finish queued and running jobs up to
--drain-seconds. Then uvicorn shuts down. A second signal exits at once.
"""

from __future__ import annotations

import asyncio
from types import FrameType
from typing import TYPE_CHECKING, Any

from assistant.server.jobqueue import Runner
from assistant.server.jsonlog import JsonLogger
from assistant.server.service import WebhookService
from assistant.server.settings import ServeSettings

if TYPE_CHECKING:
    import uvicorn


def build_server(
    settings: ServeSettings, runner: Runner, *, log: JsonLogger | None = None
) -> tuple[uvicorn.Server, WebhookService]:
    """A uvicorn server for the app, and the service behind it (for its state and tests)."""
    import uvicorn

    from assistant.server.app import create_app

    class DrainingServer(uvicorn.Server):
        """uvicorn.Server whose first exit signal drains the queue before stopping."""

        def __init__(self, config: uvicorn.Config, service: WebhookService) -> None:
            super().__init__(config)
            self.service = service
            self._loop: asyncio.AbstractEventLoop | None = None
            self._drain_task: asyncio.Task[None] | None = None

        async def serve(self, sockets: Any = None) -> None:
            self._loop = asyncio.get_running_loop()
            await super().serve(sockets)

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            # Not recorded in _captured_signals: uvicorn would re-raise it after a clean shutdown.
            if self._drain_task is not None or self._loop is None:
                self.should_exit = True
                self.force_exit = self._drain_task is not None
                return
            self._loop.call_soon_threadsafe(self._start_drain)

        def _start_drain(self) -> None:
            if self._drain_task is None:
                self._drain_task = asyncio.ensure_future(self._drain())

        async def _drain(self) -> None:
            await self.service.shutdown()
            self.should_exit = True

    service = WebhookService(settings, runner, log=log)
    app = create_app(settings, runner, service=service)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="on",
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    return DrainingServer(config, service), service


def run_server(settings: ServeSettings, runner: Runner) -> int:
    """Serve until a signal and a drain; the number of jobs left unfinished."""
    server, service = build_server(settings, runner)
    service.log.info("listening", host=settings.host, port=settings.port)
    server.run()
    return service.unfinished
