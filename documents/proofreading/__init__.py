"""Automated proofreading (proofread) before the human proofreader (ทาน): one module per kind of
check (dates, digits, marks, spelling, register number), their word lists (lexicon, data/), and
where a finding sits in the document (passages, sentence)."""
