"""The ASGI application `velinimet serve` runs (see velinimet/serving.py for why ASGI)."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "velinimet.settings")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from velinimet.serving import Handler, RequestGuard  # noqa: E402

# Under ASGI Django runs each request's sync code in a thread made for that request, so a connection kept
# for the next request would be left behind with the thread: close it at the end of each request instead
# (Django's advice for ASGI). The worker (`velinimet worker`) keeps its persistent connections.
for _database in settings.DATABASES.values():
    _database["CONN_MAX_AGE"] = 0

application = RequestGuard(Handler())

# Everything loaded so far lives as long as the process: keep it out of the garbage collector's full
# passes, which otherwise cost ~80 ms every few API list requests (measured in bench/).
gc.freeze()
