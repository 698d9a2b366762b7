"""The extracts: the contract, where the files are, how each is cast and loaded, and the locked-down database."""
