"""`python -m crm_pipelines.sandbox`: see kit/http/cli.py and README.md."""

import sys

from .kit.http.cli import main

if __name__ == "__main__":
    sys.exit(main())
