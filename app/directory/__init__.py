"""The network's directory: organisations (member cities, partners) and topics."""
