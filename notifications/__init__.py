"""SMS out (outbox relay, gateways, templates) and in (keywords, delivery reports)."""
