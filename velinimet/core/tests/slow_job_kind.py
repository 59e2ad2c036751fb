"""A slow, resumable test job kind; imported before ``velinimet worker`` starts in the SIGTERM test."""

from __future__ import annotations

import time
from typing import Any

from velinimet.core.registry import JobKind, registry


def slow_handler(job: Any, progress: Any) -> dict[str, Any]:
    """``steps`` steps of 50 ms; starts again after the last step it reported, like the import."""
    steps = int(job.params.get("steps", 60))
    for step in range(job.done, steps):
        time.sleep(0.05)
        progress.update(done=step + 1, total=steps, force=True)
    return {"steps": steps}


registry.register("core.job_kinds", JobKind("test.slow", "Slow test job", slow_handler))
