"""The terminal UI (Textual): chat, activity, proposals, findings and logs."""
