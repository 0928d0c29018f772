#include "volume_ramp.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace haven::audio {
namespace {

// The largest gain step between consecutive frames while running `frames` frames.
double max_step(VolumeRamp& ramp, int frames, double previous) {
    double worst = 0;
    for (int i = 0; i < frames; ++i) {
        const double gain = ramp.next_gain();
        worst = std::max(worst, std::abs(gain - previous));
        previous = gain;
    }
    return worst;
}

TEST(VolumeRamp, ReachesTargetExactlyAfterItsLength) {
    VolumeRamp ramp;
    ramp.start(70, 4800);
    for (int i = 0; i < 4799; ++i)
        ramp.next_gain();
    EXPECT_TRUE(ramp.ramping());
    EXPECT_DOUBLE_EQ(ramp.next_gain(), volume_to_gain(70));
    EXPECT_FALSE(ramp.ramping());
    EXPECT_DOUBLE_EQ(ramp.next_gain(), volume_to_gain(70));
}

TEST(VolumeRamp, NoFrameStepAboveBoundForTypicalFades) {
    struct Case {
        double from, to;
        std::uint32_t frames;
        double bound;  // 100 % over 50 ms at 48 kHz moves at most ~0.0029 per frame
    };
    for (const Case c : {Case{0, 100, 2400, 0.003},
                         {100, 0, 2400, 0.003},
                         {0, 70, 48000 * 3, 0.0001},
                         {30, 60, 480, 0.003}}) {
        SCOPED_TRACE(testing::Message() << c.from << "->" << c.to << " in " << c.frames);
        VolumeRamp ramp;
        ramp.start(c.from, 0);
        const double start_gain = ramp.next_gain();
        ramp.start(c.to, c.frames);
        EXPECT_LE(max_step(ramp, static_cast<int>(c.frames) + 10, start_gain), c.bound);
        EXPECT_DOUBLE_EQ(ramp.volume(), c.to);
    }
}

TEST(VolumeRamp, RetargetMidRampContinuesFromCurrentValue) {
    VolumeRamp ramp;
    ramp.start(80, 0);
    double previous = ramp.next_gain();
    ramp.start(0, 4800);
    double worst = max_step(ramp, 1000, previous);
    previous = volume_to_gain(ramp.volume());
    ramp.start(100, 4800);  // reverse direction mid-fade
    worst = std::max(worst, max_step(ramp, 6000, previous));
    EXPECT_LT(worst, 0.002);
    EXPECT_DOUBLE_EQ(ramp.volume(), 100);
}

TEST(VolumeRamp, ZeroLengthIsImmediate) {
    VolumeRamp ramp;
    ramp.start(50, 0);
    EXPECT_FALSE(ramp.ramping());
    EXPECT_DOUBLE_EQ(ramp.next_gain(), volume_to_gain(50));
}

}  // namespace
}  // namespace haven::audio
