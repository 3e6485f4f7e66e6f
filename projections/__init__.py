"""Read models built from the event log, and the queries and statistics that read them."""
