"""Imported by every Python process the test suite starts (this folder is on its PYTHONPATH).

It moves the child to the same pinned court clock as the test process (tests/court_clock.py), so a
``medcourt`` subprocess, a worker or a web server started by a test agrees with the test on what day it is.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

_pinned = os.environ.get("MEDCOURT_TEST_CLOCK")
if _pinned:
    import time_machine

    instant, _, real_epoch = _pinned.partition("|")
    elapsed = max(0.0, time.time() - float(real_epoch))
    time_machine.travel(datetime.fromisoformat(instant) + timedelta(seconds=elapsed), tick=True).start()
    time.time()  # start ticking now (time-machine's clock ticks from its first reading)
