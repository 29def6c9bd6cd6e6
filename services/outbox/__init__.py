"""The outbox: rows written in the same transaction as a decision, read later by the deliverer
(flow_signals: wake a memo's flow run) and by the notice sender (work_arrivals: tell the people
whose work just arrived). Below the memo's life, which writes them."""
