"""Schools register participants and projects; organisers review, import and export."""
