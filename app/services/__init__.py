"""Use cases. Each public function takes a Session and the acting User, checks permission,
changes data, writes the audit log and returns plain data. Callers own the transaction."""
