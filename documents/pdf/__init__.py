"""PDFs: LibreOffice conversion (soffice, or the office server kept running per machine), the
two-pass pagination with continuation words, reading pages back as text and images, preview
fonts, and PAdES signatures with the organisation's signing certificate."""
