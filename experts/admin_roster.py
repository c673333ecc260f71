"""See experts/admin.py."""
