#pragma once
// Perceptual brightness: CIE 1976 lightness L* of a light's output, treating the level in
// percent as relative luminance. Equal steps in L* look equal to the eye, so fades
// interpolate in L*: a linear duty fade would seem to rush through the dim end, which is
// where a dissociated patient's room spends its time.

namespace haven::lights {

double lightness_from_level(double level_percent);  // 0..100 -> L* 0..100
double level_from_lightness(double lightness);      // L* 0..100 -> 0..100

// The level at `progress` (0..1) of a fade from `from` to `to`, even in L*.
double perceptual_fade_level(double from, double to, double progress);

}  // namespace haven::lights
