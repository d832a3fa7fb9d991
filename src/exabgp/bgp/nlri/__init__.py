"""NLRI families: one module per family kind; `table.FAMILIES` maps a Family to its codec."""
