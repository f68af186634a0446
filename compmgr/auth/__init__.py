"""Accounts, login, invitations and the role switch."""
