"""``python -m casebook``: the same command as ``casebook``."""

import sys

from casebook.cli.main import main

sys.exit(main())
