#!/usr/bin/env python3
"""Writes SteerGuard's contrastive and probe datasets from the hand-written lists beside this file.

Deterministic: running it again produces byte-identical files. Usage:
    python3 src/tools/datasets/generate_datasets.py [output-dir]   (default src/main/resources/datasets)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from datasets_json_compliance import COMPLIANCE, JSON_INSTRUCTIONS, JSON_PHRASINGS, REFUSALS  # noqa: E402
from datasets_refusal_probes import (HARMFUL_ACTS, HARMLESS_ACTS, PROBE_ACTS, PROBE_TEMPLATES,  # noqa: E402
                                     REQUEST_TEMPLATES)


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{path}: {len(rows)} rows")


def instruction_set(prefix, acts_by_category):
    """Two phrasings per act, templates rotating over a global act index (same scheme for both sets)."""
    rows = []
    j = 0
    for category, acts in acts_by_category.items():
        for act in acts:
            for t in (2 * j, 2 * j + 1):
                template = REQUEST_TEMPLATES[t % len(REQUEST_TEMPLATES)]
                rows.append({"category": category, "instruction": template.format(act=act)})
            j += 1
    return [{"id": f"{prefix}-{i + 1:03d}", **row} for i, row in enumerate(rows)]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "src/main/resources/datasets"
    os.makedirs(out, exist_ok=True)

    write_jsonl(os.path.join(out, "json-format-pairs.jsonl"), [
        {"id": f"json-{i + 1:03d}", "category": category,
         "positive": f"{instruction} {JSON_PHRASINGS[i % len(JSON_PHRASINGS)]}",
         "negative": instruction}
        for i, (category, instruction) in enumerate(JSON_INSTRUCTIONS)])

    write_jsonl(os.path.join(out, "strict-compliance-pairs.jsonl"), [
        {"id": f"comply-{i + 1:03d}", "category": category, "prompt": prompt,
         "positive": answer, "negative": REFUSALS[i % len(REFUSALS)].format(topic=topic)}
        for i, (category, topic, prompt, answer) in enumerate(COMPLIANCE)])

    write_jsonl(os.path.join(out, "harmful-instructions.jsonl"), instruction_set("harmful", HARMFUL_ACTS))
    write_jsonl(os.path.join(out, "harmless-instructions.jsonl"), instruction_set("harmless", HARMLESS_ACTS))

    harmful_acts = {a for acts in HARMFUL_ACTS.values() for a in acts}
    probes = []
    j = 0
    for category, acts in PROBE_ACTS.items():
        for act in acts:
            if act in harmful_acts:
                raise SystemExit(f"probe act also in the refusal-direction set: {act}")
            probes.append({"id": f"probe-{len(probes) + 1:03d}", "category": category,
                           "probe": PROBE_TEMPLATES[j % len(PROBE_TEMPLATES)].format(act=act)})
            j += 1
    write_jsonl(os.path.join(out, "probes.jsonl"), probes)


if __name__ == "__main__":
    main()
