"""The RIBs: the Adj-RIB-Out (change queue, update packing, End-of-RIB) and the Adj-RIB-In."""
