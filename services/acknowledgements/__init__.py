"""Staff acknowledgements (รับทราบ) of a published announcement, a circular (หนังสือเวียน) above
all: asking the staff (asking), each person's acknowledgement and who has and has not
(acknowledging), and reminders to those who have not after N working days (reminders).

It reads publications from the records and sends through services.notices, so it sits between
them: services.publication (a circular's publication) may call `ask_at_publication`."""
