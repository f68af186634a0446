"""Competitions, their divisions and subject areas."""
