#include "lightness.hpp"

#include <algorithm>
#include <cmath>

namespace haven::lights {
namespace {
constexpr double kEpsilon = 216.0 / 24389.0;  // (6/29)^3: below it L* is linear in Y
constexpr double kKappa = 24389.0 / 27.0;     // slope of that linear part
}  // namespace

double lightness_from_level(double level_percent) {
    const double y = std::clamp(level_percent / 100.0, 0.0, 1.0);
    if (y <= kEpsilon) return kKappa * y;
    return 116.0 * std::cbrt(y) - 16.0;
}

double level_from_lightness(double lightness) {
    const double l = std::clamp(lightness, 0.0, 100.0);
    const double y = l > 8.0 ? std::pow((l + 16.0) / 116.0, 3.0) : l / kKappa;
    return std::clamp(y * 100.0, 0.0, 100.0);
}

double perceptual_fade_level(double from, double to, double progress) {
    if (progress <= 0) return from;
    if (progress >= 1) return to;
    const double a = lightness_from_level(from);
    const double b = lightness_from_level(to);
    return level_from_lightness(a + (b - a) * progress);
}

}  // namespace haven::lights
