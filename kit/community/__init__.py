"""Step 01: the community's own definition of safety."""
