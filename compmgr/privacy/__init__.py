"""Privacy (DSGVO): consent helpers, access log, retention purge, subject access, notices."""
