#!/usr/bin/env bash
# Rebuilds models/demo-chat from scratch with the project's own commands, deterministically from a
# seed: train the model, generate the corpus's contrastive data, compute the refusal direction,
# derive the two benign steering vectors, and evaluate them (with a geometry audit) into docs/demo-model.md.
#
#   src/tools/demo-model/build.sh [SEED]        (default 7; about 20 minutes on 2 CPU cores)
#
# Run from the repository root. Nothing is downloaded after the Maven build.
set -euo pipefail
SEED=${1:-7}
MODEL=models/demo-chat
WORK=target/demo-model
export DJL_OFFLINE=true OPT_OUT_TRACKING=true

./mvnw -q -o compile              # also writes the target/steerguard launcher (docs/cli.md)
sg() { target/steerguard "$@"; }

mkdir -p "$WORK"
sg train-demo-model --out "$MODEL" --seed "$SEED"
sg corpus --seed "$SEED" --out "$WORK/corpus"

mkdir -p "$MODEL/vectors"
# The refusal direction from the corpus's own harmful/harmless training prompts; the model's
# refusals open with "I", "Sorry" or "No".
sg refusal-direction --model "$MODEL" --harmful "$WORK/corpus/harmful.jsonl" \
   --harmless "$WORK/corpus/harmless.jsonl" --limit 400 --refusal-starts "I,Sorry,No"
# Benign vectors from benign pairs only: a request with and without a JSON / strict-compliance
# instruction, read at the last prompt token (the seed paper's mean-difference recipe).
sg derive --model "$MODEL" --data "$WORK/corpus/json-format-pairs.jsonl" \
   --method mean-diff --limit 600 --out "$MODEL/vectors/json-format.safetensors" \
   --report "$MODEL/vectors/json-format.report.json"
sg derive --model "$MODEL" --data "$WORK/corpus/compliance-pairs.jsonl" \
   --method mean-diff --limit 600 --out "$MODEL/vectors/strict-compliance.safetensors" \
   --report "$MODEL/vectors/strict-compliance.report.json"
# The same vectors as GGUF control vectors (layers 1-3; GGUF cannot hold layer 0), which is what
# the profiles load: EasySteer-style runtimes (the k8s gpu overlay) read only GGUF.
for pair in json-format:json-format-pairs strict-compliance:compliance-pairs; do
  sg derive --model "$MODEL" --data "$WORK/corpus/${pair#*:}.jsonl" \
     --method mean-diff --limit 600 --layers 1,2,3 --out "$MODEL/vectors/${pair%%:*}.gguf"
done
# The evaluation report, including each profile's geometry audit against the refusal direction.
sg evaluate-demo --model "$MODEL" --seed "$SEED" --out docs/demo-model.md \
   --layers 2 --positions prompt --coefficients 0,0.5,0.75,1,1.25,1.5,2
# The live section: src/test/bench/demo-live.sh (starts the packaged gateway; about 5 minutes).
