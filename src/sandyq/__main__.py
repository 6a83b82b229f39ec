"""``python -m sandyq`` runs the command line."""

from sandyq.outputs.cli import main

if __name__ == "__main__":
    main()
