"""Time tend.assessments.icd10: package load, index build, and search latency.

Not a test. Run: .venv/bin/python bench/icd10_search.py
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

from tend.assessments import icd10

REPEATS = 5

QUERIES = (
    # What a therapist types.
    "major depressive disorder, single episode, moderate",
    "depression",
    "depress single mod",
    "anxiety",
    "generalized anxiety",
    "panic disorder",
    "post traumatic stress",
    "adjustment disorder with mixed anxiety and depressed mood",
    "bipolar",
    "bipolar ii",
    "schizophrenia",
    "obsessive compulsive",
    "attention deficit hyperactivity",
    "autism",
    "anorexia nervosa",
    "bulimia",
    "insomnia",
    "alcohol use disorder",
    "alcohol dependence with withdrawal",
    "opioid use",
    "cannabis abuse",
    "borderline personality",
    "grief",
    "bereavement",
    "housing",
    "homelessness",
    "food insecurity",
    "unemployment",
    "divorce",
    "child abuse",
    "suicidal ideation",
    "alzheimer's",
    "dementia",
    "sezary",
    "b12",
    # Code prefixes.
    "F32",
    "f32.1",
    "F4",
    "Z59",
    "z63.5",
    "S7",
    "T74.11XA",
    # Hard cases: one letter, common words, words that rarely meet, no match, very long.
    "a",
    "s",
    "a b",
    "left right",
    "initial sequela",
    "fracture of unspecified part of neck of right femur",
    "zzzz",
    "depression " * 45,
)


def main() -> None:
    started = time.perf_counter()
    icd10._classification()
    loaded = time.perf_counter()
    icd10._index()
    built = time.perf_counter()
    print(f"package load  {(loaded - started) * 1000:8.0f} ms")
    print(f"index build   {(built - loaded) * 1000:8.0f} ms")

    icd10._index.cache_clear()
    tracemalloc.start()
    icd10._index()
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"index size    {size / 2**20:8.1f} MiB")

    timings: list[tuple[float, str]] = []
    for query in QUERIES:
        samples = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            icd10.search(query)
            samples.append((time.perf_counter() - started) * 1000)
        timings.append((statistics.median(samples), query))

    times = sorted(ms for ms, _ in timings)
    cuts = statistics.quantiles(times, n=100)
    print(f"search over {len(QUERIES)} queries (median of {REPEATS} runs each):")
    print(f"  p50 {cuts[49]:.2f} ms   p95 {cuts[94]:.2f} ms   max {times[-1]:.2f} ms")
    print("  slowest:")
    for ms, query in sorted(timings, reverse=True)[:5]:
        print(f"    {ms:6.2f} ms  {query[:60]!r}")


if __name__ == "__main__":
    main()
