#!/usr/bin/env bash
# Regenerates Haven's demo music: slow sine-tone drones and pads synthesised by sox, so the
# demo room and the tests have music with no licence question (CC0, see LICENSE-music).
# Output is committed; run this only to change the music. Needs sox with Ogg Vorbis.
#   arrival/  three 30-40 s pads referenced by arrival.m3u (one at 44.1 kHz, the others at
#             48 kHz, so crossfades across sample rates are exercised)
#   deep/     two 40 s low drones, played as a folder playlist (one is mono on purpose)
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p arrival deep

# pad OUT RATE CHANNELS SECONDS FREQ...: a chord of sines, each slowly swelling, then
# reverb and long fades so the loop point and crossfades are soft.
pad() {
    local out=$1 rate=$2 channels=$3 seconds=$4
    shift 4
    local inputs=()
    local i=0
    for freq in "$@"; do
        # Different tremolo speeds per voice make the chord breathe instead of buzz.
        inputs+=("|sox -n -r $rate -c 1 -p synth $seconds sine $freq tremolo 0.0$((3 + i)) 60")
        i=$((i + 1))
    done
    sox -m "${inputs[@]}" -r "$rate" -c "$channels" -C 2 "$out" \
        gain -8 reverb 70 50 100 gain -n -18 fade q 4 "$seconds" 5
}

pad arrival/01-first-light.ogg 48000 2 36 110 164.81 220 277.18
pad arrival/02-open-window.ogg 44100 2 32 98 146.83 196 246.94
pad arrival/03-settling.ogg 48000 2 40 87.31 130.81 174.61 220
pad deep/01-undertow.ogg 48000 2 40 55 82.41 110.5
pad deep/02-still-water.ogg 48000 1 40 49 73.42 98.3
