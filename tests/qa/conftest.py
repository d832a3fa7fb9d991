"""The functional kit lives in qa/lib (it is not part of the exabgp package): put it on the path."""

import os
import sys

QA_LIB = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'qa', 'lib')
if QA_LIB not in sys.path:
    sys.path.insert(0, QA_LIB)
