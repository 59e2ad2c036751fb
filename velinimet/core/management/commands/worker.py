"""``velinimet worker``: the Huey consumer, stopping cleanly when a container or systemd sends SIGTERM.

Huey's consumer stops at once on SIGTERM (a running job's thread dies with the process and the job
stays "running" until the stale-job requeue, 10 minutes later) and gracefully only on SIGINT. Here
SIGTERM and SIGINT both stop gracefully, and a running job does not hold the stop up: its handler
raises ``JobReleased`` at its next ``progress.update()``, the job goes back to the queue (with its
task re-enqueued in the broker) and the next worker, or this one restarted, carries on. A job
whose handler does not reach a progress update within the shutdown timeout is released anyway.
"""

from __future__ import annotations

import logging
import signal
from typing import Any

from django.conf import settings
from django.utils.module_loading import autodiscover_modules
from huey.consumer import Consumer
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey

#: Seconds the workers get to finish or release their jobs (Docker waits 10 s before SIGKILL).
SHUTDOWN_TIMEOUT = 8.0


class JobConsumer(Consumer):
    """A consumer for which SIGTERM, like SIGINT, is a graceful stop that releases running jobs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signal_actions[signal.SIGTERM] = (False, True)
        self._signal_actions[signal.SIGINT] = (False, True)

    def _handle_signal(self, signum: int, frame: Any) -> None:
        from velinimet.core.jobs import WORKER_STOPPING

        WORKER_STOPPING.set()  # handlers give their job back at their next progress update
        super()._handle_signal(signum, frame)


class Command(RunHuey):
    help = "Run the background worker; SIGTERM or Ctrl-C stop it cleanly, putting running jobs back in the queue."

    def handle(self, *args: Any, **options: Any) -> None:
        from huey.contrib.djhuey import HUEY

        from velinimet.core.jobs import jobs_release_claimed

        consumer_options: dict[str, Any] = {"shutdown_timeout": SHUTDOWN_TIMEOUT}
        huey_settings: dict[str, Any] = settings.HUEY if isinstance(settings.HUEY, dict) else {}
        consumer_options.update(huey_settings.get("consumer", {}))
        consumer_options.update({k: v for k, v in options.items() if k in ConsumerConfig._fields and v is not None})
        if not options.get("disable_autoload"):
            autodiscover_modules("tasks")
        config = ConsumerConfig(**consumer_options)
        config.validate()
        logger = logging.getLogger("huey")
        if not logger.handlers:
            config.setup_logger(logger)
        consumer = JobConsumer(HUEY, **config.values)
        consumer.run()  # returns after a graceful stop (or os.execl on SIGHUP)
        jobs_release_claimed()  # a handler still busy past the timeout: its job goes back to the queue
