#include "lightness.hpp"

#include <gtest/gtest.h>

namespace haven::lights {
namespace {

TEST(Lightness, KnownCiePoints) {
    EXPECT_DOUBLE_EQ(lightness_from_level(0), 0);
    EXPECT_NEAR(lightness_from_level(100), 100, 1e-9);
    EXPECT_NEAR(lightness_from_level(18.42), 50, 0.01);  // mid-grey: 18 % luminance
}

TEST(Lightness, RoundTripsAcrossTheRange) {
    for (double level = 0; level <= 100; level += 0.05)
        EXPECT_NEAR(level_from_lightness(lightness_from_level(level)), level, 1e-9) << level;
}

TEST(Lightness, HalfwayIsPerceptualNotLinear) {
    // Halfway through a 0 -> 100 fade the eye sees half brightness: ~18 %, not 50 %.
    EXPECT_NEAR(perceptual_fade_level(0, 100, 0.5), 18.42, 0.01);
    EXPECT_EQ(perceptual_fade_level(20, 70, 0), 20);
    EXPECT_EQ(perceptual_fade_level(20, 70, 1), 70);
}

}  // namespace
}  // namespace haven::lights
