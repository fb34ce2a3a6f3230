"""What the tests share: the repository's root, the one synthetic dataset builder, the CLI run
in-process, and the browser helpers."""
