"""Benchmark: quality and speed of the one-place near-duplicate test on the corpus.

Positives: edited copies of corpus documents — punctuation and full-/half-width changes, extra whitespace,
~2 % of the (CJK) characters replaced by others, and one paragraph dropped (when there are three or more: half
of a two-paragraph text is not an edited copy), all in the same copy. A copy is *caught* when it shares an LSH band key with the original (the indexed candidate
lookup finds it) and the near-duplicate test says yes.
Look-alikes (must pass): another chapter of the same law (titles "法规名（第X章 …）"), and the same-named
regulation of another place (titles equal after the place name). A pair is *refused* when the lookup finds
it and the test says yes.
Also: fingerprint throughput (documents/s, HTML body to stored fingerprint).

Digits are not among the replaced characters: a copy whose figures differ is, for the rule, another report
(see docs/one-place-rule.md, the number condition).

Usage: .venv/bin/python bench/one_place_quality.py [--positives 3000] [--seed 5]
"""
import argparse
import collections
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import body_html, read_corpus  # noqa: E402

from cms.content.fingerprints import body_fingerprint, is_near_duplicate  # noqa: E402
from cms.content.sanitize import html_to_text  # noqa: E402

TARGET_CAUGHT, TARGET_REFUSED, TARGET_DOCS_PER_S = 99.0, 1.0, 2000

FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
PUNCT = {"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "“": '"', "”": '"', "、": ",",
         "《": "<", "》": ">", "？": "?", "！": "!"}
CJK = [chr(c) for c in range(0x4E00, 0x9FA5)]


def edited_copy(text, rng):
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if len(paragraphs) >= 3:
        del paragraphs[rng.randrange(len(paragraphs))]
    out = []
    for paragraph in paragraphs:
        chars = []
        for ch in paragraph:
            r = rng.random()
            if ch in FULL_WIDTH and r < 0.5:
                ch = FULL_WIDTH[ch]
            elif ch in PUNCT and r < 0.5:
                ch = PUNCT[ch]
            elif "\u4e00" <= ch <= "\u9fa5" and r < 0.02:
                ch = rng.choice(CJK)
            if rng.random() < 0.02:
                ch += rng.choice([" ", "\u3000", "  "])
            chars.append(ch)
        out.append("".join(chars))
    return "\n".join(out)


def look_alike_pairs(docs, rng):
    # Another chapter: a different chapter heading (the corpus also holds several versions of one law, whose
    # same chapter, even renumbered, is the same information and not a look-alike).
    by_law = collections.defaultdict(dict)
    for i, d in enumerate(docs):
        m = re.match(r"(.+?)（第.+?章\s*(.*?)）", d["title"])
        if m:
            by_law[m.group(1)].setdefault(re.sub(r"\s+", "", m.group(2)), i)
    chapters = [tuple(rng.sample(list(idx.values()), 2)) for idx in by_law.values() if len(idx) >= 2]
    place_re = re.compile(r"^(.{2,12}?(?:省|自治区|市|自治州|州|县|区|盟|地区))")
    by_name = collections.defaultdict(dict)
    for i, d in enumerate(docs):
        title = re.sub(r"（.*?）", "", d["title"])
        m = place_re.match(title)
        if m and len(title) > len(m.group(1)) + 3:
            by_name[title[len(m.group(1)):]].setdefault(m.group(1), i)
    places = [tuple(rng.sample(list(p.values()), 2)) for p in by_name.values() if len(p) >= 2]
    return chapters, places


def fingerprint(text):
    return body_fingerprint(html_to_text(body_html(text)))


def found(a, b):
    return bool(set(a["keys"]) & set(b["keys"])) and is_near_duplicate(a, b)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positives", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = read_corpus()
    chapters, places = look_alike_pairs(docs, rng)

    sample = [body_html(d["body"]) for d in docs[:6000]]
    t0, c0 = time.perf_counter(), time.process_time()
    for html in sample:
        body_fingerprint(html_to_text(html))
    rate = len(sample) / (time.perf_counter() - t0)
    cpu_rate = len(sample) / (time.process_time() - c0)

    positives = rng.sample(range(len(docs)), min(args.positives, len(docs)))
    caught = missed_lookup = 0
    for i in positives:
        original = fingerprint(docs[i]["body"])
        copy = fingerprint(edited_copy(docs[i]["body"], rng))
        if found(original, copy):
            caught += 1
        elif not set(original["keys"]) & set(copy["keys"]):
            missed_lookup += 1
    refused = {}
    for name, pairs in (("another chapter of the same law", chapters), ("same-named regulation, other place", places)):
        hits = [(a, b) for a, b in pairs if found(fingerprint(docs[a]["body"]), fingerprint(docs[b]["body"]))]
        refused[name] = (len(hits), len(pairs))
        for a, b in hits:
            print(f"  refused look-alike: {docs[a]['title']} / {docs[b]['title']}")
    print(f"corpus: {len(docs)} documents")
    print(f"{'measure':<48} {'ours':>10}   target")
    print(f"{'fingerprints (HTML body -> stored), docs/s':<48} {rate:>10.0f}   >= {TARGET_DOCS_PER_S} "
          f"(wall clock; {cpu_rate:.0f} per CPU second)")
    print(f"{'edited copies caught':<48} {100 * caught / len(positives):>9.2f}%   >= {TARGET_CAUGHT}% "
          f"({caught}/{len(positives)}; {missed_lookup} missed by the band lookup)")
    total_refused = sum(r for r, _ in refused.values())
    total_pairs = sum(n for _, n in refused.values())
    for name, (r, n) in refused.items():
        print(f"{'look-alikes refused: ' + name:<48} {100 * r / max(n, 1):>9.2f}%   ({r}/{n})")
    print(f"{'look-alikes refused, all':<48} {100 * total_refused / max(total_pairs, 1):>9.2f}%   <= {TARGET_REFUSED}% "
          f"({total_refused}/{total_pairs})")


if __name__ == "__main__":
    main()
