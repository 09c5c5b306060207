"""Step 01, define safety with the community: survey weighting and community input."""
