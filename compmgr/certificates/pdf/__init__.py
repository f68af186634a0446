"""PDF builders: one class per document, fed plain data, writing to a file or returning bytes."""
