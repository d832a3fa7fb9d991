"""BGP messages: one module per message type; `table.MESSAGES` maps type codes to classes."""
