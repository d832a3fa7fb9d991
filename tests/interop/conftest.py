"""The peer helpers live in qa/bench (the benchmarks use them too): put them on the path."""

import os
import sys

QA_BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'qa', 'bench')
if QA_BENCH not in sys.path:
    sys.path.insert(0, QA_BENCH)
