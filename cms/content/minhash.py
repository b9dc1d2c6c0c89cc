"""MinHash signatures and LSH band keys of normalized text, vectorized with numpy (``fingerprints`` holds the
rest of the one-place rule's text fingerprints and imports this module when a signature is first needed:
numpy is ~15 MB of a web worker that only serves public pages)."""
import numpy as np

# (``fingerprints`` imports this module inside its functions, never at its top: no cycle.)
from cms.content.fingerprints import BAND_ROWS, BANDS, NUM_PERM, SHINGLE_CHARS

# Fixed random parameters of the hash family (a seed, so every process and every database agree).
_POWERS = np.array([pow(1000003, SHINGLE_CHARS - 1 - k, 2**64) for k in range(SHINGLE_CHARS)], dtype=np.uint64)
_BAND_MIX = np.array([pow(0x9E3779B97F4A7C15, k + 1, 2**64) for k in range(BAND_ROWS)], dtype=np.uint64)
_BAND_SALT = np.array([(0xC2B2AE3D27D4EB4F * (j + 1)) % 2**64 for j in range(BANDS)], dtype=np.uint64)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_BIN_BITS = 7  # 2**7 == NUM_PERM bins
_EMPTY = np.uint32(0xFFFFFFFF)


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
