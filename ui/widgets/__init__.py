"""Small reusable widgets (Thai dates, form error labels)."""
