"""`make bench`: speed, throughput, scale and page-weight targets, measured in one run.

Not part of `make test`: timings on a shared machine drift, so every speed target here is
a ratio taken in the same run, or a latency with the load it was measured under stated.
`python -m bench` prints one table and exits non-zero when any target is missed.
"""
