"""What the Prefect side needs from the domain: the work a memo's flow run has to do next
(flow_work) and signing from the Prefect UI (prefect_ui_signing), which goes through the same
sign-off as every other path. The flow signals themselves are written by services.outbox."""
