# Sourced by docker/build-images and .ci/run: finds a container engine, and readies podman on a
# Debian machine that has neither Docker nor an image registry (facts in docker/README.md).

SWITCHBOARD_PODMAN_SOCKET=/run/podman/podman.sock

# Prints "docker" when a Docker engine answers, else "podman" when podman is installed; fails with
# what to do otherwise.
switchboard_container_engine() {
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
        echo docker
    elif command -v podman >/dev/null 2>&1; then
        echo podman
    else
        echo "error: no container engine: install Docker, or run 'docker/build-images --prepare' (as root, on Debian) to install and set up podman" >&2
        return 1
    fi
}

switchboard_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

switchboard_prepare_podman() {
    local start=$SECONDS
    local missing=()
    for command in podman runc debootstrap podman-compose; do
        command -v "$command" >/dev/null 2>&1 || missing+=("$command")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing podman from Debian's archive (missing: ${missing[*]})..." >&2
        switchboard_as_root apt-get update -q
        DEBIAN_FRONTEND=noninteractive switchboard_as_root apt-get install -y -q \
            podman runc fuse-overlayfs debootstrap podman-compose >/dev/null
    fi
    switchboard_write_containers_conf
    switchboard_base_images
    switchboard_start_podman_service
    echo "podman ready in $((SECONDS - start)) s" >&2
}

# crun refuses this kernel's hybrid cgroups; podman's default ulimits exceed what a root
# container may get here
switchboard_write_containers_conf() {
    local nofile nproc conf=/etc/containers/containers.conf
    nofile=$(ulimit -Hn)
    nproc=$(cat /proc/sys/kernel/pid_max)
    local content="# written by Switchboard's docker/build-images --prepare
[containers]
default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]

[engine]
runtime = \"runc\"
"
    if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "${content%$'\n'}" ]; then
        if [ -f "$conf" ] && ! grep -q "written by Switchboard" "$conf"; then
            echo "warning: replacing $conf (kept as $conf.orig)" >&2
            switchboard_as_root cp "$conf" "$conf.orig"
        fi
        printf '%s' "$content" | switchboard_as_root tee "$conf" >/dev/null
    fi
}

switchboard_image_exists() {
    podman image exists "$1"
}

# The FROM images, made from Debian's archive and this machine's JDK, tagged with the upstream
# names so that the Dockerfiles build unchanged and offline.
switchboard_base_images() {
    local work
    if ! switchboard_image_exists debian:bookworm; then
        local mirror
        mirror=$(switchboard_debian_mirror)
        work=$(mktemp -d)
        echo "Making debian:bookworm with debootstrap from $mirror (about a minute)..." >&2
        switchboard_as_root debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
            || { tail -20 "$work/debootstrap.log" >&2; return 1; }
        # no downloaded packages, package lists or apt caches, and apt keeps none, as in upstream's image
        switchboard_as_root rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/cache/apt/*.bin \
            "$work"/rootfs/var/lib/apt/lists/*
        switchboard_as_root cp docker/base/docker-clean "$work/rootfs/etc/apt/apt.conf.d/docker-clean"
        switchboard_as_root tar --numeric-owner -C "$work/rootfs" -c . \
            | podman import -q --change 'CMD ["bash"]' - docker.io/library/debian:bookworm >/dev/null
        switchboard_as_root rm -rf "$work"
    fi
    if ! switchboard_image_exists eclipse-temurin:25-jre; then
        # shellcheck source=../bin/lib/java.sh
        source bin/lib/java.sh
        switchboard_find_java
        work=$(mktemp -d)
        echo "Making eclipse-temurin:25-jre: a JRE of $JAVA_HOME (jlink) on debian:bookworm..." >&2
        # every module of the JDK but the development tools (and Graal, which needs javac)
        local modules
        modules=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' \
            | grep -v -E '^jdk\.(compiler|javadoc|jshell|jlink|jpackage|jartool|jdeps|jdi|jdwp\.agent|hotspot\.agent|internal\.(ed|le|opt|jshell|md|vm\.ci)|editpad|jconsole|jstatd|graal\.compiler|graal\.compiler\.management)$' \
            | paste -sd,)
        # (jlink warns that jdk.incubator.vector is an incubator module)
        "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
            --compress=zip-6 --output "$work/jre"
        cp docker/base/eclipse-temurin.Dockerfile "$work/Dockerfile"
        podman build --pull=never --quiet -t docker.io/library/eclipse-temurin:25-jre "$work" >/dev/null
        rm -rf "$work"
    fi
    if ! switchboard_image_exists mariadb:10.11; then
        echo "Making mariadb:10.11 from Debian's mariadb-server package..." >&2
        podman build --pull=never --quiet -t docker.io/library/mariadb:10.11 docker/mariadb >/dev/null
    fi
}

# the mirror this machine's apt sources use
switchboard_debian_mirror() {
    local mirror
    mirror=$(grep -h -o -E 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
        | head -1 | tr -d ' ')
    echo "${mirror:-http://deb.debian.org/debian}"
}

switchboard_podman_service_answers() {
    curl -sf --max-time 5 --unix-socket "$SWITCHBOARD_PODMAN_SOCKET" http://podman/_ping >/dev/null 2>&1
}

# Docker's API for Testcontainers and docker-compose; left running (it uses no CPU when idle)
switchboard_start_podman_service() {
    local pid
    for pid in $(pgrep -f "podman system service" || true); do
        # a service started from a directory that was removed since cannot start containers
        if [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == *" (deleted)" ]]; then
            echo "Restarting podman system service (its working directory was removed)..." >&2
            switchboard_as_root kill "$pid"
            while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
        fi
    done
    if switchboard_podman_service_answers; then
        return 0
    fi
    switchboard_as_root mkdir -p "$(dirname "$SWITCHBOARD_PODMAN_SOCKET")"
    echo "Starting podman system service on unix://$SWITCHBOARD_PODMAN_SOCKET (log: /var/log/podman-service.log)..." >&2
    # from /: conmon, started by the service for every container, fails ("write child: broken pipe")
    # once the service's working directory is gone, e.g. a removed build directory
    (cd / && switchboard_as_root setsid nohup podman system service --time=0 "unix://$SWITCHBOARD_PODMAN_SOCKET" \
        >>/var/log/podman-service.log 2>&1 </dev/null &)
    for _ in $(seq 50); do
        switchboard_podman_service_answers && return 0
        sleep 0.2
    done
    echo "error: podman system service does not answer on $SWITCHBOARD_PODMAN_SOCKET; see /var/log/podman-service.log" >&2
    return 1
}
