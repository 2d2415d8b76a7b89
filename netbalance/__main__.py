"""python -m netbalance"""

import sys

from netbalance.cli import main

sys.exit(main())
