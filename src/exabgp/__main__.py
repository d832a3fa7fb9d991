"""`python -m exabgp` runs the command line."""

import sys

from exabgp.application.main import main

sys.exit(main())
