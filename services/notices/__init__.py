"""Telling people: sending a notice on a person's channels (notify), notices of work arriving,
daily digests, and reminders and escalation of overdue steps (reminders)."""
