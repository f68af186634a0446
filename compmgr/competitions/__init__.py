"""Competitions, the tenant: a round's rules, its divisions and Fachgebiete (models and rules only)."""
