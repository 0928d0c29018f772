#!/usr/bin/env bash
# Installs every Debian 12 package Haven needs to build, run its demo and run its
# tests. Safe to run repeatedly: it only calls apt-get when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ccache git clang-format clang libclang-rt-14-dev
  libboost-dev libmosquitto-dev mosquitto mosquitto-clients
  portaudio19-dev jackd2 libjack-jackd2-dev libasound2-dev
  # ALSA's JACK and PulseAudio plugins, as on most desktops: "default" then reaches JACK
  # through ALSA, the path whose server restarts used to abort the daemon (issue 20).
  libasound2-plugins
  libyaml-cpp-dev nlohmann-json3-dev libsndfile1-dev libsamplerate0-dev
  libsqlite3-dev sqlite3 libsystemd-dev systemd libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev openssl libssl-dev sox procps faketime
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Browser tests drive Chromium with playwright-core from npm. These machines ship Node.js
# (with npm) already; only a machine without it gets Debian's.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# jackd2 asks whether to enable real-time priority; the answer does not matter here.
echo "jackd2 jackd/tweak_rt_limits boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
