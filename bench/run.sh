#!/usr/bin/env bash
# Runs one benchmark of bench/ with the project's JVM flags and full classpath.
#   bench/run.sh dedup.DedupBenchMain 100000 600 ../shared/data 20000 3
#   bench/run.sh rollout.RolloutBenchMain ../shared/data 1 full all
#   bench/run.sh rollout.RolloutClusterBenchMain ../shared/data 64 4 64 all
#   bench/run.sh scoring.ValueModelSelectBench ../shared 256 8 8 256 8 2
#   bench/run.sh bridge.ShardBenchMain --rows 1000000 --repeat 2
# BENCH_XMX sets the heap (default 10g); GRISTMILL_SKIP_BUILD=1 skips the build step.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ -z "${GRISTMILL_SKIP_BUILD:-}" ]; then
  mvn -B -q -ntp -DskipTests install
fi
mvn -B -q -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$root/bench/target/cp.txt" >/dev/null
main="$1"; shift
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" >&2
# shellcheck disable=SC2046
exec java -Xmx"${BENCH_XMX:-10g}" $(cat jobs/target/jvm.flags) \
  -cp "bench/target/classes:$(cat bench/target/cp.txt)" "io.gristmill.bench.$main" "$@"
