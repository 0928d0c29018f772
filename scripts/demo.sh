#!/usr/bin/env bash
# Runs the demo room: builds Haven if needed, starts a private mosquitto on a free local
# port, the virtual room (simulated lights and buttons), JACK's dummy audio backend when
# this machine has no sound card, and `haven run` with config/rooms/demo.yaml.
# Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
./scripts/build.sh
HAVEN=${HAVEN_BUILD_DIR:-build}/haven

free_port() {  # the first port from $1 upwards that nothing listens on
  local port=$1
  while (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

RUN_DIR=$(mktemp -d -t haven-demo.XXXXXX)
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$DEMO_CONFIG"
  echo "demo stopped; logs were in $RUN_DIR"
}
trap cleanup INT TERM EXIT

MQTT_PORT=$(free_port 18830)
PANEL_PORT=$(free_port 8080)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$MQTT_PORT" > "$RUN_DIR/mosquitto.conf"
/usr/sbin/mosquitto -c "$RUN_DIR/mosquitto.conf" > "$RUN_DIR/mosquitto.log" 2>&1 &
pids+=($!)

# No sound card: JACK's dummy backend paces the audio path in real time.
if ! grep -q '[0-9]' /proc/asound/cards 2>/dev/null; then
  export JACK_NO_AUDIO_RESERVATION=1 JACK_DEFAULT_SERVER=haven-demo
  jackd -n haven-demo -d dummy -r 48000 -p 1024 > "$RUN_DIR/jackd.log" 2>&1 &
  pids+=($!)
  sleep 1
fi

# The demo config, pointed at this run's broker and panel port. It sits beside the original
# so the relative paths in it (playlists, PIN files) still resolve.
DEMO_CONFIG=$ROOT/config/rooms/.demo-run.yaml
sed -e "s/^\(  port:\) .*/\1 $MQTT_PORT/" \
    -e "s/127.0.0.1:8080/127.0.0.1:$PANEL_PORT/" config/rooms/demo.yaml > "$DEMO_CONFIG"

"$HAVEN" simulate-room --config "$DEMO_CONFIG" > "$RUN_DIR/room.log" 2>&1 &
pids+=($!)

echo
echo "  Haven demo room"
echo "  wall panel:  http://127.0.0.1:$PANEL_PORT/   (therapist PIN $(cat config/rooms/demo-therapist.pin), tech PIN $(cat config/rooms/demo-tech.pin))"
echo "  MQTT broker: 127.0.0.1:$MQTT_PORT   (mosquitto_sub -p $MQTT_PORT -t 'haven/#' -v)"
echo "  virtual room view: tail -f $RUN_DIR/room.log"
echo "  Ctrl-C stops everything."
echo
"$HAVEN" run --config "$DEMO_CONFIG" --state-dir "$RUN_DIR/state" ${HAVEN_TIME_SCALE:+--time-scale $HAVEN_TIME_SCALE} &
pids+=($!)
wait "${pids[-1]}"
