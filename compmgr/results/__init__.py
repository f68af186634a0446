"""Results: the jury decisions, special prizes and publishing."""
