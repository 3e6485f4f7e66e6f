"""Medcourt's domain: the court's cases, registries and rules, on eventsourcing.

Imports only the standard library and ``eventsourcing``.
"""
