"""Publication: publishing an approved memo (publication), freezing and signing its PDFs with
the organisation's key (frozen_pdfs, signing_keys), the channels it is posted to, the physical
notice board, the public page and its verification, print previews, and the memo page's view,
which shows the memo's whole life up to what was published (memo_view)."""
