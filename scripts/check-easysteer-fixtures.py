#!/usr/bin/env python3
"""Checks SteerGuard's EasySteer fixtures against EasySteer's real request model.

Usage: scripts/check-easysteer-fixtures.py <EasySteer-vllm-v1 checkout at 6267ca0c>

Loads vllm/steer_vectors/api.py and payloads.py from the checkout by file path (nothing else of
vLLM is imported), declares a request model with `steering: SteeringSpec | None` as
vllm/entrypoints/openai/chat_completion/protocol.py does (extra keys allowed at the top level, as
OpenAIBaseModel does), and validates:
  - src/test/resources/testdata/easysteer/steering-cases.jsonl: each case's verdict must equal
    "admitted", which is also what the Java stand-in (EasySteerSpecModel) is tested to answer;
  - runtime-mode-examples.json: every example must be a valid EasySteer request.
Needs python3 with pydantic 2 and numpy. Exit status 1 on any disagreement. Not part of the Java build.
"""
import importlib.util
import json
import pathlib
import sys
import types
from typing import Optional

from pydantic import BaseModel, ConfigDict, ValidationError

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "src/test/resources/testdata/easysteer"


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main(checkout):
    base = pathlib.Path(checkout) / "vllm" / "steer_vectors"
    for pkg in ("vllm", "vllm.steer_vectors"):
        sys.modules.setdefault(pkg, types.ModuleType(pkg))
    load("vllm.steer_vectors.payloads", base / "payloads.py")
    api = load("vllm.steer_vectors.api", base / "api.py")

    class Request(BaseModel):
        model_config = ConfigDict(extra="allow")
        steering: Optional[api.SteeringSpec] = None

    def verdict(body):
        try:
            Request.model_validate(body)
            return True, ""
        except ValidationError as e:
            return False, "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors())

    failures = 0
    for line in (FIXTURES / "steering-cases.jsonl").read_text().splitlines():
        case = json.loads(line)
        body = {"model": "m"} if "steering" not in case else {"model": "m", "steering": case["steering"]}
        ok, why = verdict(body)
        mark = "ok " if ok == case["admitted"] else "BAD"
        failures += ok != case["admitted"]
        print(f"{mark} case {case['case']!r}: EasySteer {'admits' if ok else 'rejects'} {why}")
    for example in json.loads((FIXTURES / "runtime-mode-examples.json").read_text()):
        ok, why = verdict(example["body"])
        failures += not ok
        print(f"{'ok ' if ok else 'BAD'} example {example['name']!r}: {why or 'valid'}")
    print(f"{failures} disagreement(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
