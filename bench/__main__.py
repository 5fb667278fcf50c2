"""Entry point of `python -m bench`: the report benchmark."""

import sys

from bench.report import main

sys.exit(main())
