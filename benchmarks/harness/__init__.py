"""What every measure shares: the loopback server, the heap, statistics, fresh interpreters, results."""
