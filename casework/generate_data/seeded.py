"""Seeded random generators for generated data, one per stream (the citizens, each batch
of cases, the staff), so each stream comes out the same for the same seed on its own."""

from __future__ import annotations

import random


def seeded(*name: object) -> random.Random:
    """A generator seeded by the stream's name (`seeded("cases", seed, batch)`). Not for
    anything secret: reproducible is the point."""
    return random.Random(":".join(str(part) for part in name))  # noqa: S311  # nosec B311: test data, not secrets
