"""AST transforms that run at parse time (the reference runs the table transform inside ``parse``)."""
