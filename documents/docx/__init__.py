"""The memo (memo) and the announcement (announcement) as .docx, and what they share: blocks
(emblem, signature), Thai text runs, language tags, page numbers, continuation marks and
reproducible output."""
