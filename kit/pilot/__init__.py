"""Step 04: design and evaluate a pilot."""
