// The callback path driven with plain buffers: ramps, silence padding, underrun counting.
#include "output_renderer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace haven::audio {
namespace {

constexpr std::size_t kBlock = 256;

void feed_constant(SpscRing<float>& ring, float value, std::size_t frames) {
    const std::vector<float> samples(frames * kChannels, value);
    ASSERT_EQ(ring.write(samples.data(), samples.size()), samples.size());
}

TEST(OutputRenderer, SilentUntilARampAndNoUnderrunBeforeFirstData) {
    SpscRing<float> ring(1 << 14);
    OutputRenderer renderer(ring);
    std::vector<float> out(kBlock * kChannels, 1.0f);
    renderer.render(out.data(), kBlock);  // nothing written yet: start-up, not starvation
    EXPECT_EQ(renderer.underruns(), 0u);
    feed_constant(ring, 0.5f, kBlock);
    renderer.render(out.data(), kBlock);
    for (float s : out)
        EXPECT_EQ(s, 0.0f);  // master volume starts at 0
    EXPECT_EQ(renderer.callbacks(), 2u);
}

TEST(OutputRenderer, FadeInIsContinuousAndReachesTarget) {
    SpscRing<float> ring(1 << 16);
    OutputRenderer renderer(ring);
    renderer.request_ramp(100, 4 * kBlock);
    EXPECT_TRUE(renderer.ramping());
    std::vector<float> out(kBlock * kChannels);
    float previous = 0;
    float worst = 0;
    for (int block = 0; block < 6; ++block) {
        feed_constant(ring, 1.0f, kBlock);
        renderer.render(out.data(), kBlock);
        for (std::size_t i = 0; i < out.size(); i += kChannels) {
            worst = std::max(worst, std::abs(out[i] - previous));
            previous = out[i];
        }
    }
    EXPECT_FLOAT_EQ(previous, 1.0f);
    EXPECT_LT(worst, 0.08f);  // 100 % in 1024 frames: steep, yet no single-frame jump
    EXPECT_FALSE(renderer.ramping());
    EXPECT_DOUBLE_EQ(renderer.volume(), 100);
}

TEST(OutputRenderer, UnderrunPadsSilenceAndCounts) {
    SpscRing<float> ring(1 << 14);
    OutputRenderer renderer(ring);
    renderer.request_ramp(100, 0);
    feed_constant(ring, 0.25f, kBlock + kBlock / 2);
    std::vector<float> out(kBlock * kChannels);
    renderer.render(out.data(), kBlock);
    EXPECT_EQ(renderer.underruns(), 0u);
    renderer.render(out.data(), kBlock);  // only half a block left
    EXPECT_EQ(renderer.underruns(), 1u);
    EXPECT_FLOAT_EQ(out[0], 0.25f);
    EXPECT_EQ(out[kBlock * kChannels - 1], 0.0f);
    EXPECT_EQ(renderer.frames_rendered(), 2 * kBlock);
}

}  // namespace
}  // namespace haven::audio
