#!/usr/bin/env bash
# Runs every Haven benchmark in one go and prints the figures (docs/performance.md records a run).
#   bench/run.sh                       # builds in build/ (or $HAVEN_BUILD_DIR), then runs
#   HAVEN_BUILD_DIR=build-bench BENCH_ROUNDS=2000 bench/run.sh
#   BENCH_ONLY="timeline soak" BENCH_SOAK_HOURS=4 HAVEN_BUILD_DIR=build-bench bench/run.sh
# The daemon comes from $HAVEN_BUILD_DIR. The bench programs are always built from this
# script's own tree: in $HAVEN_BUILD_DIR when that build is of this tree, otherwise in
# $BENCH_BUILD_DIR (default build-bench here), so a daemon built elsewhere (another worktree)
# is measured by this tree's bench. HAVEN_BIN=/path/to/haven measures that binary, unbuilt.
# Starts its own mosquitto on a free loopback port and a JACK dummy server; leaves nothing
# running. Needs mosquitto, jackd and sox on PATH; the timeline bench wants stress-ng (installed
# with apt-get when missing and run as root, else a shell busy loop stands in and says so).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${HAVEN_BUILD_DIR:-$ROOT/build}
[[ $BUILD = /* ]] || BUILD=$ROOT/$BUILD
ROUNDS=${BENCH_ROUNDS:-2000}
STARTUP_RUNS=${BENCH_STARTUP_RUNS:-20}
AUDIO_SECONDS=${BENCH_AUDIO_SECONDS:-20}
ONLY=" ${BENCH_ONLY:-reaction startup audio timeline soak} "
TIMELINE_SCALE=${BENCH_TIMELINE_SCALE:-60}
SOAK_HOURS=${BENCH_SOAK_HOURS:-24}   # engine hours; at the default scale 24 h is 9.6 min of real time
SOAK_SCALE=${BENCH_SOAK_SCALE:-150}
wanted() { [[ $ONLY == *" $1 "* ]]; }

configure() {  # optimised, as deployed; warnings stay warnings here (CI builds hold -Werror)
    # A cache made with -Werror (e.g. by hand) would fail on GCC's -O2-only false positives
    # (maybe-uninitialized): turn it off there too.
    # Only in a build of this tree: another tree's build is read, never reconfigured.
    if [[ ! -f $1/CMakeCache.txt ]] || { grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$ROOT" \
        "$1/CMakeCache.txt" && grep -q '^HAVEN_WERROR:BOOL=ON' "$1/CMakeCache.txt"; }; then
        cmake -S "$ROOT" -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAVEN_WERROR=OFF >/dev/null
    fi
}
configure "$BUILD"
TOOLS=$BUILD
if [[ -n ${HAVEN_BIN:-} ]]; then
    :  # a daemon binary given outright is measured as it is
elif [[ $(grep -m1 '^CMAKE_HOME_DIRECTORY:' "$BUILD/CMakeCache.txt" | cut -d= -f2) != "$ROOT" ]]; then
    # Another tree's build: measure its daemon as it is (its owner builds it), never build there.
    [[ -x $BUILD/haven ]] || { echo "no daemon at $BUILD/haven" >&2; exit 1; }
    TOOLS=${BENCH_BUILD_DIR:-$ROOT/build-bench}
    [[ $TOOLS = /* ]] || TOOLS=$ROOT/$TOOLS
    configure "$TOOLS"
else
    cmake --build "$BUILD" -j"${BENCH_JOBS:-2}" --target haven >/dev/null
fi
cmake --build "$TOOLS" -j"${BENCH_JOBS:-2}" --target haven_bench floor_echo >/dev/null
HAVEN=${HAVEN_BIN:-$BUILD/haven}  # the top-level CMakeLists puts executables at the build root
BENCH=$TOOLS/bench/haven_bench
FLOOR=$TOOLS/bench/floor_echo

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/haven-bench.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [[ ${BENCH_KEEP:-0} = 1 ]] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PANEL_PORT=$(free_port)

# set_tcp_nodelay: mosquitto's default (Nagle on) holds the second of two small packets to one
# client until that client's delayed ACK, ~40 ms; BENCH_BROKER_NODELAY=false shows that.
cat >"$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
set_tcp_nodelay ${BENCH_BROKER_NODELAY:-true}
CONF
mosquitto -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
    sleep 0.05
done

# A 44.1 kHz FLAC playlist, as the issue's audio target asks (the demo music is Ogg, mostly 48 kHz).
mkdir -p "$WORK/flac"
for i in 1 2 3; do
    sox -n -r 44100 -c 2 "$WORK/flac/0$i.flac" synth 30 sine $((100 * i + 10)) sine $((150 * i)) \
        gain -18 fade q 2 30 2
done
cp "$ROOT/config/rooms/demo-therapist.pin" "$WORK/therapist.pin"
cp "$ROOT/config/rooms/demo-tech.pin" "$WORK/tech.pin"

# The lines every bench room shares: its id, the private broker and the panel.
room_header() {
    cat <<ROOM
room: {id: bench, name: Bench room}
mqtt: {host: 127.0.0.1, port: $PORT, topic_prefix: haven}
panel: {listen: "127.0.0.1:$PANEL_PORT", therapist_pin_file: therapist.pin, tech_pin_file: tech.pin}
ROOM
}
# room_file NAME AUDIO_OUTPUT PLAYLIST [PHASE_MUSIC]: one light, one zigbee2mqtt button whose
# presses are lights_up/lights_down, debounce off so every press counts, one template whose phase
# plays PHASE_MUSIC (none in the reaction room: decoding there would count as CPU per reaction).
room_file() {
    room_header >"$WORK/$1.yaml"
    cat >>"$WORK/$1.yaml" <<ROOM
audio: {output: $2, max_volume: 70, crossfade: 4s}
playlists: {music: $3}
lights:
  light: {driver: zigbee2mqtt, topic: zigbee2mqtt/bench/light}
buttons:
  button:
    driver: zigbee2mqtt
    topic: zigbee2mqtt/bench/button
    actions: {single: lights_up, double: lights_down}
scenes:
  base: {light: 50}
  safe: {light: 80}
assist: {scene: safe, fade: 1s}
cues: {debounce: 0s, lights_step: 30}
templates:
  bench:
    name: Bench
    phases:
      - {id: only, scene: {name: base, fade: 1s}${4-}, until: infusion_start}
ROOM
}
# timeline_room NAME AUDIO_OUTPUT: the templates in bench/bench-templates.yaml (timeline, soak),
# whose scenes move the one light end to end so every 250 ms fade step is a visible change.
timeline_room() {
    room_header >"$WORK/$1.yaml"
    cat >>"$WORK/$1.yaml" <<ROOM
audio: {output: $2, max_volume: 70, crossfade: 4s}
playlists: {music: $WORK/flac/}
lights:
  light: {driver: zigbee2mqtt, topic: zigbee2mqtt/bench/light}
scenes:
  low: {light: 5}
  high: {light: 95}
  safe: {light: 80}
assist: {scene: safe, fade: 1s}
cues: {debounce: 0s, lights_step: 10}
template_files: [$ROOT/bench/bench-templates.yaml]
ROOM
}
MUSIC=", music: {playlist: music, volume: 30}"
room_file reaction none "$ROOT/playlists/arrival.m3u"
room_file audio-demo "${BENCH_AUDIO_OUTPUT:-system}" "$ROOT/playlists/arrival.m3u" "$MUSIC"
room_file audio-flac "${BENCH_AUDIO_OUTPUT:-system}" "$WORK/flac/" "$MUSIC"
timeline_room timeline none
timeline_room soak "${BENCH_SOAK_AUDIO_OUTPUT:-${BENCH_AUDIO_OUTPUT:-system}}"

echo "# Haven benchmarks  $(date -u +%Y-%m-%dT%H:%MZ)  commit $(git -C "$ROOT" rev-parse --short HEAD)"
build_type=$(grep -m1 CMAKE_BUILD_TYPE:STRING "$BUILD/CMakeCache.txt" | cut -d= -f2)
if [[ -n ${HAVEN_BIN:-} ]]; then
    echo "# daemon: $HAVEN as given (HAVEN_BIN), built $(date -u -r "$HAVEN" +%Y-%m-%dT%H:%MZ)"
else
    echo "# daemon: $HAVEN (${build_type:-default, RelWithDebInfo}), tree $(git -C "$(grep -m1 '^CMAKE_HOME_DIRECTORY:' "$BUILD/CMakeCache.txt" | cut -d= -f2)" describe --always --dirty)"
fi
echo "# bench programs: $TOOLS/bench"
echo "# machine: $(nproc) cpu, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r), load average at the start $LOAD_START"
echo "# broker: $(mosquitto -h 2>&1 | head -1) on 127.0.0.1:$PORT, set_tcp_nodelay ${BENCH_BROKER_NODELAY:-true}"
echo

mkdir -p "$WORK/state-reaction" "$WORK/state-startup" "$WORK/state-audio-demo" "$WORK/state-audio-flac" \
    "$WORK/state-timeline" "$WORK/state-soak"
if wanted reaction; then
    "$BENCH" reaction --port "$PORT" --haven "$HAVEN" --floor "$FLOOR" --config "$WORK/reaction.yaml" \
        --state-dir "$WORK/state-reaction" --rounds "$ROUNDS" --log-dir "$WORK"
    echo
fi
if wanted startup; then
    "$BENCH" startup --port "$PORT" --haven "$HAVEN" --config "$WORK/reaction.yaml" \
        --state-dir "$WORK/state-startup" --runs "$STARTUP_RUNS" --log-dir "$WORK"
    echo
fi

if wanted timeline; then
    # The other core busy, as the issue asks: stress-ng --cpu 1 (Debian package stress-ng).
    if ! command -v stress-ng >/dev/null && [[ $(id -u) = 0 ]] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >"$WORK/apt.log" 2>&1 || true
    fi
    if command -v stress-ng >/dev/null; then
        stress-ng --cpu 1 --quiet >"$WORK/stress.log" 2>&1 &
        LOAD_DESC="stress-ng --cpu 1 ($(stress-ng --version 2>&1 | head -1))"
    else
        bash -c 'while :; do :; done' &
        LOAD_DESC="a shell busy loop (stress-ng not available)"
    fi
    LOAD_PID=$!
    PIDS+=($LOAD_PID)
    sleep 1
    "$BENCH" timeline --port "$PORT" --haven "$HAVEN" --config "$WORK/timeline.yaml" \
        --state-dir "$WORK/state-timeline" --time-scale "$TIMELINE_SCALE" --log-dir "$WORK" \
        --load "$LOAD_DESC, machine load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
    kill "$LOAD_PID" 2>/dev/null || true
    wait "$LOAD_PID" 2>/dev/null || true
    echo
fi

if wanted audio || wanted soak; then
    export JACK_DEFAULT_SERVER=havenbench$$
    # --port-max sizes the shared memory every JACK client maps (and counts in its VmRSS);
    # jackd's default is 2048 ports (about 100 MB). BENCH_JACK_PORT_MAX=64 shows a room's own
    # jackd sized for what it runs (Haven needs 2 ports).
    JACK_PORT_MAX=${BENCH_JACK_PORT_MAX:-}
    jackd -n "$JACK_DEFAULT_SERVER" ${JACK_PORT_MAX:+--port-max "$JACK_PORT_MAX"} -d dummy \
        -r 48000 -p 1024 >"$WORK/jackd.log" 2>&1 &
    JACK_PID=$!
    PIDS+=($JACK_PID)
    sleep 1
    echo "# jackd: $(jackd --version 2>&1 | head -1), dummy backend, 48 kHz, 1024 frames," \
        "port-max ${JACK_PORT_MAX:-default (2048)}"
fi
# demo and flac: music_next every 6 s, so a 4 s crossfade runs two thirds of the time (far more
# than a session, which crossfades every few minutes); flac-steady: one track, no crossfade.
if wanted audio; then
    for run in demo:demo:6 flac:flac:6 flac-steady:flac:0; do
        IFS=: read -r label room next <<<"$run"
        mkdir -p "$WORK/state-audio-$label"
        "$BENCH" audio --port "$PORT" --haven "$HAVEN" --config "$WORK/audio-$room.yaml" \
            --state-dir "$WORK/state-audio-$label" --seconds "$AUDIO_SECONDS" --label "$label" \
            --next-every "$next" --log-dir "$WORK"
        grep -ciE "underrun|xrun" "$WORK/haven-$label.log" | sed 's/^/daemon log lines mentioning underrun\/xrun: /' || true
        echo
    done
fi
if wanted soak; then
    "$BENCH" soak --port "$PORT" --haven "$HAVEN" --config "$WORK/soak.yaml" \
        --state-dir "$WORK/state-soak" --time-scale "$SOAK_SCALE" --hours "$SOAK_HOURS" \
        --log-dir "$WORK" --audio "${BENCH_SOAK_AUDIO_OUTPUT:-${BENCH_AUDIO_OUTPUT:-system}} (44.1 kHz FLAC playlist; jackd dummy when 'system')"
    grep -ciE "underrun|xrun" "$WORK/haven-soak.log" | sed 's/^/daemon log lines mentioning underrun\/xrun: /' || true
    echo
fi
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
