"""Huey tasks of the core app: thin wrappers that take ids and call one service."""

from huey.contrib.djhuey import db_task

from .jobs import job_run


@db_task(retries=0)
def run_job(job_id: str) -> None:
    job_run(job_id)
