"""The ``medcourt`` command line and operational jobs."""
