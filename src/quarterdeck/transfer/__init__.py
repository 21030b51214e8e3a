"""Import and export of the portfolio and the people, by natural keys (names, e-mails, paths)."""
