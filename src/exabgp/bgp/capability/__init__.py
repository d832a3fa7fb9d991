"""BGP capabilities (RFC 5492): one module per capability, `table.CAPABILITIES` maps codes to classes.

Every capability is a frozen, slotted value holding exactly one capability TLV as it was on the wire
(several TLVs with the same code stay several values: an OPEN carries one MULTIPROTOCOL per family).
`table.decode` turns a (code, value) pair into a value, keeping unknown codes raw.
"""
