"""Domain functions: each one unit of work that checks the rules and records the outcome.

The packages, from the top layer down (a package may import only those below it; the contracts
in pyproject.toml, checked by `lint-imports`, hold this):

- orchestration: what a memo's flow run does next (flow_work) and signing from the Prefect UI
- yearly: the fiscal year's review cycle and the assessor's evidence pack
- publication: publishing an approved memo, frozen and signed PDFs, channels, the notice board,
  the public page, verification, print previews, and the memo page's whole view (memo_view)
- notices: sending notices (notify), work arrivals, daily digests and reminders
- memo_life: submit, stages, sign-off, returns, escalation, deactivation, queue, search, route,
  readings, what changed between revisions, drafts' previews and starts, proofreading reports
- printing: what a memo prints: document contexts, rendering, templates, emblem, register
  number, file labels, the announcement kinds  |  outbox: flow signals and work arrivals,
  written in the same transaction as the decision they follow
- accounts: people and their credentials, the organisation file, chains, login throttling,
  the administrator's pages
- audit: the audit chain's verification and its views (independent of all the others)

errors and unit_of_work sit below every package.
"""
