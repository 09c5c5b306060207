"""Step 04: design a pilot, its power on the jurisdiction's own history, and its evaluation."""
