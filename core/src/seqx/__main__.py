"""``python -m seqx``: the command line (also what ``torchrun -m seqx`` runs)."""

from seqx.cli.main import main

if __name__ == "__main__":
    main()
