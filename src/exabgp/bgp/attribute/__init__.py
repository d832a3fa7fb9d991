"""Path attributes: one module per attribute (or family of attributes); `table.ATTRIBUTES` dispatches."""
