"""Worker processes that end with the process that started them.

A killed main process (``kill -9`` included) must not leave its pool's workers running for
minutes. Each worker watches the main process's id from a daemon thread and ends within a
second of it; a worker started through a fork server (whose parent is then that server, not the
main process) also ends the server, which served only the dead main process.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["die_with_parent", "worker_pool"]


def worker_pool(workers: int, context: Any) -> ProcessPoolExecutor:
    """A process pool whose workers end with this process (:func:`die_with_parent`)."""
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )


def die_with_parent(main: int) -> None:
    """End this process when ``main`` ends (a pool's ``initializer``)."""
    threading.Thread(target=_watch, args=(main,), daemon=True, name="alliancelab-main-watch").start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user (the id was reused)
        return False
    return True


def _watch(main: int) -> None:
    while _alive(main) and os.getppid() != 1:
        time.sleep(0.5)
    parent = os.getppid()
    if parent not in (1, main) and _alive(parent):
        os.kill(parent, signal.SIGKILL)  # the fork server of the dead main process
    os._exit(1)
