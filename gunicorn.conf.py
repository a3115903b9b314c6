"""gunicorn reads this from the directory it starts in (the production command in the
README and `make bench` both start there).

gc.freeze(): a worker's heap after loading the app is ~180,000 long-lived objects
(SQLAlchemy's mappers, Flask, Babel's catalogs) that a full garbage collection walks
again every time, stopping the worker for ~80 ms with hops queued behind it. Frozen, they
are left out of every collection; what requests make is still collected as before.
"""

import gc


def post_worker_init(worker: object) -> None:
    gc.freeze()
