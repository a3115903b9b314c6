"""gunicorn.conf.py: what gunicorn, started where the README says, does in each worker.

A worker freezes the heap it starts with out of the garbage collector. Unfrozen, a full
collection walks the app's ~180,000 start-up objects again and stops the worker for
tens of milliseconds (83 ms measured), with every hop queued behind it waiting too.
"""

from __future__ import annotations

import gc
import runpy
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_gunicorn_started_in_the_repository_reads_our_worker_hook():
    printed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "portal:create_app()"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    settings = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    )
    assert settings["config"] == "./gunicorn.conf.py"
    # gunicorn's own default prints as <PostWorkerInit.post_worker_init()>.
    assert settings["post_worker_init"] == "<post_worker_init()>"


def test_a_worker_freezes_its_start_up_heap_out_of_garbage_collection():
    hook = runpy.run_path(str(REPO / "gunicorn.conf.py"))["post_worker_init"]
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        hook(object())
        assert gc.get_freeze_count() > 10_000  # this test process's heap, at least
    finally:
        gc.unfreeze()
