# Sourced by Switchboard scripts: exports JAVA_HOME pointing at a JDK >= 24 (Trino 476 and
# Airlift 336 need it), trying $JAVA_HOME first and then every JDK under /usr/lib/jvm.

switchboard_java_version() {
    # prints the feature version (e.g. 25) of the java binary in $1, or nothing
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p'
}

switchboard_find_java() {
    local candidate version
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        version=$(switchboard_java_version "$candidate")
        if [ -n "$version" ] && [ "$version" -ge 24 ]; then
            export JAVA_HOME="$candidate"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    echo "error: Switchboard needs a JDK 24 or newer (Trino 476 requires it)." >&2
    echo "       Set JAVA_HOME to one, or install one under /usr/lib/jvm (for example Temurin 25)." >&2
    return 1
}

# Prints the gateway's runtime class path (for bin/gateway and bin/switchboard), building
# Switchboard first if the given class (default: the gateway's main class) was never built, or if
# SWITCHBOARD_REBUILD=1. Run from the repository's root.
switchboard_gateway_classpath() {
    local class="${1:-io/switchboard/gateway/GatewayServer}"
    if [ ! -f "gateway-coordinator/target/classes/$class.class" ] || [ "${SWITCHBOARD_REBUILD:-0}" = 1 ]; then
        echo "Building Switchboard (first run: a few minutes)..." >&2
        ./mvnw -B -q install -DskipTests >&2
    fi
    ./mvnw -B -q -o -pl gateway-coordinator dependency:build-classpath \
        -DincludeScope=runtime -Dmdep.outputFile=target/gateway.classpath >/dev/null
    echo "gateway-coordinator/target/classes:$(cat gateway-coordinator/target/gateway.classpath)"
}

# Builds the benchmarks module (bin/benchmark, bin/quickstart) and the modules it needs in one
# reactor, without installing anything into ~/.m2, and writes each module's runtime class path
# to <module>/target/runtime.classpath (the reactor's jars, not the local repository's). The
# dependency plugin is skipped with the checks unless told otherwise; its analysis then runs too.
switchboard_build_benchmarks() {
    ./mvnw -B -q -DskipTests -Dair.check.skip-all=true -Dair.check.skip-dependency=false \
        package dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/runtime.classpath \
        -pl benchmarks -am
}

# Prints the class path of a module built by switchboard_build_benchmarks: its jar, then its
# runtime dependencies. Run from the repository's root.
switchboard_module_classpath() {
    local jar
    for jar in "$1/target/$1"-*.jar; do
        case "$jar" in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
        if [ -f "$jar" ] && [ -f "$1/target/runtime.classpath" ]; then
            echo "$PWD/$jar:$(cat "$1/target/runtime.classpath")"
            return 0
        fi
    done
    echo "error: $1 is not built" >&2
    return 1
}

# The gateway's JVM settings, used by bin/gateway and bin/benchmark alike. The proxy keeps about
# 35 MB live (measured with bin/benchmark --jdbc, also while 1 GB streams through it), plus its
# route cache; a small heap with the serial collector gives the best throughput and p99 measured
# on 2 cores. Under sustained load the serial collector's heap ends up fully
# resident, and the rest of the process (metaspace 45 MB, code 28 MB, mapped files 26 MB, malloc)
# takes about 150 MB: with a 160 MB heap the process reached 297-326 MB, with 128 MB 278-288 MB.
# C2 compilations take up to 38 MB of malloc memory that glibc keeps unless trimmed, hence the
# periodic trim; fewer malloc arenas save another 20-30 MB of native memory.
# Options given later on the command line (an operator's -Xmx) win.
SWITCHBOARD_GATEWAY_JVM_OPTS=(-Xms64m -Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
