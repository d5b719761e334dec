"""Agreement of shipmate validate with peer validators on their own test data."""
