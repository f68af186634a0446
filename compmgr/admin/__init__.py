"""Instance administration: competitions and accounts."""
