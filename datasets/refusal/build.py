#!/usr/bin/env python3
"""Builds the committed refusal-classifier data from public repositories mirrored as git dirs.

Usage: build.py GPTFUZZ_GIT_DIR JBB_ARTIFACTS_GIT_DIR
Reads blobs at the pinned commits, checks each source file's SHA-256, and writes gzip'd JSONL
(one exchange per line: source, split, model, prompt, response, refused) next to this script.
Responses are cut to MAX_CHARS: refusals are decided in the opening, and it keeps the files small.
Deterministic: same inputs give byte-identical outputs (gzip mtime 0).
"""
import csv, gzip, hashlib, io, json, subprocess, sys, os

MAX_CHARS = 1500
PROMPT_CHARS = 300
GPTFUZZ = ("sherdencooper/GPTFuzz", "1eddeb565740ae311b5f4950492b011a6f866fe7", {
    "datasets/responses_labeled/train.csv": "SHA_TRAIN",
    "datasets/responses_labeled/evaluate.csv": "SHA_EVAL",
    "datasets/questions/question_list.csv": "SHA_Q",
})
JBB = ("JailbreakBench/artifacts", "909e68c01d94222b8ad2e397a017e2e12e2adb73")
csv.field_size_limit(10**9)
HERE = os.path.dirname(os.path.abspath(__file__))


def blob(git_dir, commit, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True, capture_output=True).stdout


def write(name, rows):
    data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode()
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(data)
    print(f"{name}: {len(rows)} rows, {sum(r['refused'] for r in rows)} refusals, "
          f"sha256 {hashlib.sha256(open(path, 'rb').read()).hexdigest()}")


def gptfuzz(git_dir):
    repo, commit, files = GPTFUZZ
    sources = {p: blob(git_dir, commit, p) for p in files}
    for p, b in sources.items():
        print(f"source {repo}@{commit}:{p} sha256 {hashlib.sha256(b).hexdigest()}")
    questions = [r for r in csv.DictReader(io.StringIO(sources["datasets/questions/question_list.csv"].decode()))]
    by_index = {q["index"]: q["text"] for q in questions}
    for split, path in (("train", "datasets/responses_labeled/train.csv"), ("test", "datasets/responses_labeled/evaluate.csv")):
        rows = []
        for r in csv.DictReader(io.StringIO(sources[path].decode())):
            # GPTFuzz label 1 = jailbroken (the model complied with the harmful question), 0 = not.
            rows.append({"source": "gptfuzz", "split": split, "model": "gpt-3.5/llama-2-7b/vicuna-7b",
                         "prompt": by_index.get(r["question"], "")[:PROMPT_CHARS],
                         "response": r["Response"][:MAX_CHARS], "refused": r["label"] == "0"})
        write(f"gptfuzz-{split}.jsonl.gz", rows)


def jbb(git_dir):
    repo, commit = JBB
    paths = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", commit, "attack-artifacts"],
                           check=True, capture_output=True, text=True).stdout.split()
    rows = []
    for p in sorted(paths):
        if "test-artifact" in p or not p.endswith(".json") or p.count("/") != 3:
            continue
        b = blob(git_dir, commit, p)
        print(f"source {repo}@{commit}:{p} sha256 {hashlib.sha256(b).hexdigest()}")
        d = json.loads(b)
        for j in d["jailbreaks"]:
            if not j.get("response"):
                continue
            # jailbroken (Llama-3-70B judge, silver) = complied; not jailbroken = refused or evaded.
            rows.append({"source": "jbb-" + d["parameters"]["method"].lower(), "split": "test",
                         "model": d["parameters"]["model"], "prompt": j["goal"][:PROMPT_CHARS],
                         "response": j["response"][:MAX_CHARS], "refused": not j["jailbroken"]})
    write("jbb-artifacts.jsonl.gz", rows)


if __name__ == "__main__":
    gptfuzz(sys.argv[1])
    jbb(sys.argv[2])
