"""Accounts: people and what they hold (positions, delegations, PINs), their credentials, the
organisation file (org_loader), signing chains, login throttling and the administrator's changes.

Below everything that acts on a memo: who may act is read from here."""
