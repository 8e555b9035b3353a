"""Allow ``python -m harvester``."""

from harvester.cli.main import main

if __name__ == "__main__":
    main()
