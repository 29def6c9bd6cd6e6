"""The audit chain seen from outside: verifying it (audit_verify) and reading it (audit_view).

It imports no other service package, and none imports it: the chain itself is written by
models.audit in the same transaction as each action."""
