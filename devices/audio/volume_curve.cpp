#include "volume_curve.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace haven::audio {

double volume_to_db(double volume_percent) noexcept {
    const double gain = volume_to_gain(volume_percent);
    return gain > 0 ? 20.0 * std::log10(gain) : -std::numeric_limits<double>::infinity();
}

double volume_to_gain(double volume_percent) noexcept {
    const double v = std::clamp(volume_percent, 0.0, 100.0);
    if (!(v > 0)) return 0.0;  // also catches NaN
    const double db = -kVolumeRangeDb * (1.0 - v / 100.0);
    const double gain = std::pow(10.0, db / 20.0);
    return v < kTaperBelowPercent ? gain * (v / kTaperBelowPercent) : gain;
}

double cap_volume(double requested, double max_volume) noexcept {
    const double cap = std::clamp(max_volume, 0.0, 100.0);
    if (std::isnan(requested)) return 0.0;
    return std::clamp(requested, 0.0, cap);
}

CrossfadeGains equal_power_crossfade(double progress) noexcept {
    const double t = std::isnan(progress) ? 0.0 : std::clamp(progress, 0.0, 1.0);
    const double angle = t * std::numbers::pi / 2.0;
    return {.outgoing = std::cos(angle), .incoming = std::sin(angle)};
}

}  // namespace haven::audio
