"""From plain contexts to bytes and text: Thai documents as .docx, PDF and words, and proofreading.

- text: the announcement's words (Jinja2 templates by organisation kind, general announcements),
  the kinds' catalogue, examples, and word-level differences
- docx: the memo and the announcement as .docx (python-docx), and the Thai helpers they share
- proofreading: automated proofreading before the human ทาน, one module per kind of check
- pdf: LibreOffice conversion (one soffice per call, or the office server), continuation words,
  page images and text, PAdES signatures and the signing certificate

context (the plain values every builder takes), thai_format (digits, BE dates) and image_check
sit below them all. Layers: pdf > proofreading > docx | text > context, thai_format.
"""
