"""Text fingerprints for the one-place rule: pure functions (numpy only, no database, no Flask).

- ``normalize_text``: NFKC (full-width to half-width), lower case, letters and digits only.
- ``minhash``: a MinHash signature over the set of character ``SHINGLE_CHARS``-grams of the normalized
  text, ``NUM_PERM`` 32-bit values, vectorized with numpy (no Python loop per shingle or per value).
- ``band_keys``: locality-sensitive-hashing keys, one per band of ``BAND_ROWS`` signature values; two texts
  whose Jaccard similarity is J share at least one key with probability ``1 - (1 - J**BAND_ROWS)**BANDS``.
- ``similarity``: estimated Jaccard similarity and containment (the share of the smaller text's shingles
  found in the other) from two signatures and their shingle counts.

The parameters were chosen on the corpus with ``bench/one_place_quality.py`` (docs/one-place-rule.md).
Changing any of them changes stored fingerprints: run ``flask --app wsgi cms one-place refresh`` afterwards.
"""
import hashlib
import re
import unicodedata
from collections import Counter

import numpy as np

SHINGLE_CHARS = 4
NUM_PERM = 128
BAND_ROWS = 3
BANDS = NUM_PERM // BAND_ROWS  # 42 bands (the last 2 values are used for the estimate only)
EXACT_MIN_CHARS = 8
NEAR_DUPLICATE_MIN_CHARS = 40
MAX_NUMBERS = 400

_NONWORD = re.compile(r"[\W_]+")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_SPACE_RE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "［": "[", "］": "]", "【": "[", "】": "]", "(": "[", ")": "]",
                           "（": "[", "）": "]", "{": "[", "}": "]"})

# Fixed random parameters of the hash family (a seed, so every process and every database agree).
_POWERS = np.array([pow(1000003, SHINGLE_CHARS - 1 - k, 2**64) for k in range(SHINGLE_CHARS)], dtype=np.uint64)
_BAND_MIX = np.array([pow(0x9E3779B97F4A7C15, k + 1, 2**64) for k in range(BAND_ROWS)], dtype=np.uint64)
_BAND_SALT = np.array([(0xC2B2AE3D27D4EB4F * (j + 1)) % 2**64 for j in range(BANDS)], dtype=np.uint64)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_BIN_BITS = 7  # 2**7 == NUM_PERM bins
_EMPTY = np.uint32(0xFFFFFFFF)


def normalize_text(text: str) -> str:
    """Letters, digits and CJK only: NFKC (full-width to half-width), lower case, no spaces or punctuation.

    Punctuation and spaces go first (one regex pass); the full NFKC normalization runs only when what is
    left is not already normalized (full-width letters or digits, compatibility characters), which keeps
    the usual Chinese text off the slow path.
    """
    text = _NONWORD.sub("", text or "")
    if not unicodedata.is_normalized("NFKC", text):
        text = _NONWORD.sub("", unicodedata.normalize("NFKC", text))
    return text.lower()


def normalize_doc_number(value: str | None) -> str | None:
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).translate(_BRACKETS)
    text = re.sub(r"\s+", "", text)
    return text or None


def shingle_hashes(text: str) -> np.ndarray:
    """The 64-bit hashes (with repeats) of the character n-grams of ``text`` (a polynomial hash per n-gram)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - SHINGLE_CHARS + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    hashes = codes[:count] * _POWERS[0]
    for k in range(1, SHINGLE_CHARS):
        hashes += codes[k:count + k] * _POWERS[k]
    return hashes


def minhash(text: str):
    """``(signature as uint32 array, number of distinct shingles)`` of normalized ``text``; (None, 0) if empty.

    One-permutation hashing: each shingle hash is mixed once; its top 7 bits choose one of the ``NUM_PERM``
    bins and the bin keeps the smallest low 32 bits. Empty bins (short texts) borrow the value of the next
    non-empty bin, shifted by the distance (rotation densification), so equal bins still estimate Jaccard.
    Linear in the text length, where ``NUM_PERM`` independent hash functions would cost 128 passes.
    """
    shingles = shingle_hashes(text)
    if not len(shingles):
        return None, 0
    shingles = np.sort(shingles)
    count = 1 + int(np.count_nonzero(shingles[1:] != shingles[:-1]))  # distinct shingles
    mixed = shingles * _MIX1
    mixed ^= mixed >> np.uint64(31)
    mixed *= _MIX2
    mixed ^= mixed >> np.uint64(29)
    bins = (mixed >> np.uint64(64 - _BIN_BITS)).astype(np.intp)
    values = (mixed & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    signature = np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    np.minimum.at(signature, bins, values)
    empty = np.flatnonzero(signature == _EMPTY)
    if len(empty) and len(empty) < NUM_PERM:
        filled = np.flatnonzero(signature != _EMPTY)
        for i in empty:
            j = filled[np.searchsorted(filled, i) % len(filled)]
            distance = (j - i) % NUM_PERM
            signature[i] = (int(signature[j]) + distance * 0x9E3779B1) & 0xFFFFFFFE
    return signature, count


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (band number mixed in, so equal values in different bands differ)."""
    rows = signature[:BANDS * BAND_ROWS].astype(np.uint64).reshape(BANDS, BAND_ROWS)
    mixed = (rows * _BAND_MIX[None, :]).sum(axis=1, dtype=np.uint64) ^ _BAND_SALT
    mixed ^= mixed >> np.uint64(29)
    return mixed.view(np.int64).tolist()


def signature_bytes(signature: np.ndarray) -> bytes:
    return signature.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4")


def similarity(sig_a, count_a, sig_b, count_b):
    """``(estimated Jaccard, estimated containment of the smaller shingle set in the larger)``."""
    if sig_a is None or sig_b is None or not count_a or not count_b:
        return 0.0, 0.0
    jaccard = float(np.count_nonzero(sig_a == sig_b)) / NUM_PERM
    intersection = jaccard / (1.0 + jaccard) * (count_a + count_b)
    return jaccard, min(1.0, intersection / min(count_a, count_b))


def numbers_of(text: str) -> str:
    """The Arabic numbers of ``text`` in order (full-width digits normalized), space separated."""
    # Whitespace is dropped first: a space typed inside a number does not make two numbers. ``\d`` also
    # matches full-width digits; NFKC of the (short) result makes them ASCII.
    found = " ".join(_NUMBER_RE.findall(_SPACE_RE.sub("", text or ""))[:MAX_NUMBERS])
    return found if found.isascii() else unicodedata.normalize("NFKC", found)


def numbers_agree(numbers_a: str | None, numbers_b: str | None) -> bool:
    """True when every number of the text with fewer numbers also occurs (as often) in the other one.

    Reports built on one template differ in their figures: a figure of one that the other lacks makes them
    different information. A copy with a paragraph dropped keeps a subset of the numbers.
    """
    list_a, list_b = (numbers_a or "").split(), (numbers_b or "").split()
    small, large = (list_a, list_b) if len(list_a) <= len(list_b) else (list_b, list_a)
    if not small:
        return True
    large_counts = Counter(large)
    return all(large_counts[n] >= k for n, k in Counter(small).items())


def body_fingerprint(plain_text: str) -> dict:
    """Fingerprints of a body given as plain text (``html_to_text`` of the HTML)."""
    body = normalize_text(plain_text)
    result = {"body_hash": None, "body_minhash": None, "body_shingles": None, "body_numbers": None, "keys": []}
    if len(body) >= EXACT_MIN_CHARS:
        result["body_hash"] = hashlib.sha1(body.encode("utf-8")).hexdigest()
    if len(body) >= NEAR_DUPLICATE_MIN_CHARS:
        signature, count = minhash(body)
        result.update(body_minhash=signature_bytes(signature), body_shingles=count,
                      body_numbers=numbers_of(plain_text), keys=band_keys(signature))
    return result


NEAR_DUPLICATE_CONTAINMENT = 0.72


def is_near_duplicate(a: dict, b: dict) -> bool:
    """The near-duplicate test on two stored fingerprints (``body_minhash``, ``body_shingles``,
    ``body_numbers``): estimated containment at least ``NEAR_DUPLICATE_CONTAINMENT`` and the numbers agree."""
    if not a.get("body_minhash") or not b.get("body_minhash"):
        return False
    _, containment = similarity(signature_from_bytes(a["body_minhash"]), a["body_shingles"],
                                signature_from_bytes(b["body_minhash"]), b["body_shingles"])
    if containment < NEAR_DUPLICATE_CONTAINMENT:
        return False
    return numbers_agree(a.get("body_numbers"), b.get("body_numbers"))
