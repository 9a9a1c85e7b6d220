"""readability-lxml on the pages `sitrep eval extraction --dump-pages` wrote (JSON lines {set, id, html}).

Times Document(html).summary() plus turning the summary into text (parse + extraction only; pages are read
first), over several passes (wall clock and process CPU time), and writes the first pass's text as {"set/id": text}.
usage: /usr/bin/python3 extract_lxml.py PAGES.jsonl [--passes N] [--out FILE]
"""
import json
import logging
import os
import sys
import time

import lxml.html
from readability import Document

logging.disable(logging.CRITICAL)

args = sys.argv[1:]
def opt(name, dflt):
    return args[args.index(name) + 1] if name in args else dflt

pages = [json.loads(l) for l in open(args[0], encoding="utf-8") if l.strip()]
passes = int(opt("--passes", "3"))
out = opt("--out", "readability-lxml.json")

def extract(html):
    try:
        summary = Document(html).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content()
    except Exception:
        return ""

texts, best, best_cpu, empty = {}, float("inf"), float("inf"), 0
for p in range(passes):
    c0 = time.process_time()
    t0 = time.perf_counter()
    for page in pages:
        text = extract(page["html"])
        if p == 0:
            texts[f'{page["set"]}/{page["id"]}'] = text
            empty += not text
    best = min(best, time.perf_counter() - t0)
    best_cpu = min(best_cpu, time.process_time() - c0)
with open(out, "w", encoding="utf-8") as f:
    json.dump(texts, f)
print("extractor: readability-lxml")
print(f"pages: {len(pages)}")
print(f"empty: {empty}")
print(f"passes: {passes}")
print(f"seconds_best_pass: {best:.3f}")
print(f"cpu_seconds_best_pass: {best_cpu:.3f}")
print(f"pages_per_cpu_second: {len(pages) / best_cpu:.1f}")
print("load_average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
print(f"pages_per_second: {len(pages) / best:.1f}")
