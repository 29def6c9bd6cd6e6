"""The memo's life from draft to last approval: submit and revise (memos), the preparation
stages and who records them, sign-off, returns, escalation of overdue steps, deactivating a
signer, each person's queue, search and route, readings and what changed between revisions,
drafts' previews and starts, and the proofreading report.

Publication, notices and the yearly cycle build on this; it writes its flow signals and work
arrivals through the outbox and reads what a memo prints from printing."""
