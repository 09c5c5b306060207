"""Benchmarks of the kit's heavy paths; ``python -m bench`` runs them and records the results."""
