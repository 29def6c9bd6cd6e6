"""The announcement's words: rendered from Jinja2 templates by organisation kind (announcement_text,
templates/), written in full by the drafter (general_announcement), read back as paragraphs,
the catalogue of kinds, the seed examples, and word-level differences between versions."""
