"""Pure domain rules: no database, no Qt, no I/O."""
