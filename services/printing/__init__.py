"""What a memo prints: the contexts the document builders take (document_context, with the
current revision), rendering the memo and announcement, organisations' own templates, the
Garuda emblem, the register number's format, file labels and the announcement kinds.

Below the memo's life: a sign-off binds the announcement's hash rendered here."""
