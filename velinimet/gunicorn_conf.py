"""gunicorn settings of `velinimet serve` (the command adds --bind and --workers)."""

worker_class = "velinimet.serving.Worker"
accesslog = "-"
graceful_timeout = 5
# Seconds an idle kept-alive connection stays open (uvicorn's timeout_keep_alive).
keepalive = 5
# gunicorn 25.1+ opens a control socket at one shared path per user; two servers on one machine would clash.
control_socket_disable = True
