#include "volume_curve.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace haven::audio {
namespace {

TEST(VolumeCurve, Table) {
    struct Case {
        double percent;
        double expected_db;
    };
    // 100 % is full scale; each 10 % below is 6 dB quieter, down to the taper.
    for (const Case c : {Case{100, 0}, {90, -6}, {50, -30}, {10, -54}}) {
        SCOPED_TRACE(c.percent);
        EXPECT_NEAR(volume_to_db(c.percent), c.expected_db, 1e-9);
    }
    EXPECT_EQ(volume_to_gain(0), 0.0);
    EXPECT_TRUE(std::isinf(volume_to_db(0)));
    EXPECT_EQ(volume_to_gain(-5), 0.0);
    EXPECT_EQ(volume_to_gain(250), 1.0);
    EXPECT_EQ(volume_to_gain(std::nan("")), 0.0);
}

TEST(VolumeCurve, IsMonotonicAndContinuous) {
    double previous = volume_to_gain(0);
    for (int step = 1; step <= 10000; ++step) {
        const double gain = volume_to_gain(step / 100.0);
        EXPECT_GT(gain, previous) << step;
        EXPECT_LT(gain - previous, 0.001) << "jump at " << step / 100.0 << " %";
        previous = gain;
    }
}

TEST(VolumeCurve, CapClampsToMaxVolume) {
    EXPECT_EQ(cap_volume(90, 70), 70);
    EXPECT_EQ(cap_volume(40, 70), 40);
    EXPECT_EQ(cap_volume(-3, 70), 0);
    EXPECT_EQ(cap_volume(50, 150), 50);
    EXPECT_EQ(cap_volume(120, 150), 100);
    EXPECT_EQ(cap_volume(std::nan(""), 70), 0);
}

TEST(EqualPowerCrossfade, KeepsPowerConstantAndEndsExactly) {
    for (int i = 0; i <= 1000; ++i) {
        const auto g = equal_power_crossfade(i / 1000.0);
        EXPECT_NEAR(g.outgoing * g.outgoing + g.incoming * g.incoming, 1.0, 1e-12);
    }
    EXPECT_NEAR(equal_power_crossfade(0).outgoing, 1.0, 1e-12);
    EXPECT_NEAR(equal_power_crossfade(0).incoming, 0.0, 1e-12);
    EXPECT_NEAR(equal_power_crossfade(1).outgoing, 0.0, 1e-12);
    EXPECT_NEAR(equal_power_crossfade(1).incoming, 1.0, 1e-12);
    // Midway each side is at -3 dB, where a linear fade would be at -6 dB.
    EXPECT_NEAR(equal_power_crossfade(0.5).incoming, std::sqrt(0.5), 1e-12);
    EXPECT_EQ(equal_power_crossfade(-1).incoming, 0.0);
    EXPECT_EQ(equal_power_crossfade(2).incoming, 1.0);
}

}  // namespace
}  // namespace haven::audio
