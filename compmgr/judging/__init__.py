"""Judges, juries, assignment, scoring and the jury's ranking."""
