"""The one-place rule's MinHash parameters (shared by ``fingerprints`` and ``minhash``; chosen on the corpus
with ``bench/one_place_quality.py``, see docs/one-place-rule.md). Changing any of them changes stored
fingerprints: run ``flask --app wsgi cms one-place refresh`` afterwards."""
SHINGLE_CHARS = 4
NUM_PERM = 128
BAND_ROWS = 3
BANDS = NUM_PERM // BAND_ROWS  # 42 bands (the last 2 values are used for the estimate only)
