#pragma once
// The mixer's maths, pure and allocation-free so the audio thread may call it:
// volume percent -> perceptual gain, the max_volume cap, equal-power crossfade gains.

namespace haven::audio {

// Dynamic range of the volume control: 100 % is 0 dB, 1 % is about -59 dB.
inline constexpr double kVolumeRangeDb = 60.0;
// Below this percentage the curve tapers linearly to exactly 0 (silence) instead of
// stopping at -54 dB, so "volume 0" means silent and the curve stays continuous.
inline constexpr double kTaperBelowPercent = 10.0;

// Volume 0..100 (values outside are clamped) to a linear amplitude gain 0..1, equal steps
// in percent are roughly equal steps in loudness (dB).
double volume_to_gain(double volume_percent) noexcept;

// The same curve in decibels; -infinity at 0.
double volume_to_db(double volume_percent) noexcept;

// Clamps a requested volume to 0..max_volume (max_volume itself clamped to 0..100).
double cap_volume(double requested, double max_volume) noexcept;

struct CrossfadeGains {
    double outgoing;
    double incoming;
};

// Equal-power crossfade at progress 0..1: outgoing^2 + incoming^2 == 1 throughout, so
// uncorrelated music keeps its loudness across the fade (a linear fade dips by 3 dB).
CrossfadeGains equal_power_crossfade(double progress) noexcept;

}  // namespace haven::audio
