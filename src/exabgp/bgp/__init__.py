"""The pure BGP codec: messages, capabilities, attributes, NLRI families and what was negotiated."""
