"""What the tests share, and the one place for it:

- paths: the repository's root, data/, seeds/ and the app's frame;
- shipped: the shipped data, loaded once per test process;
- datasets: the one synthetic dataset builder (minimal, document-rich, in-memory sample);
- bad_inputs: one case per kind of bad input, built on the minimal dataset;
- cli: the CLI run in-process (and, for a few smoke tests, as a subprocess);
- fresh_python: code run in a fresh interpreter;
- browser: the browser tier's server, offline Chromium page and map helpers.
"""
