"""Allow ``python -m kit.cli``."""

from kit.cli import main

raise SystemExit(main())
