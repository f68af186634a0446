"""Certificates and other print documents."""
