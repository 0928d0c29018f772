// The tech's test tone: its level, its fades (never a click), its length, its pitch, and
// that releasing it early still fades.
#include "test_tone.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace haven::audio {
namespace {

constexpr int kRate = 48000;

// The whole tone, left channel, rendered in uneven blocks as the decoder would.
std::vector<float> render_all(TestTone& tone, std::size_t limit_frames = 10 * kRate) {
    std::vector<float> left;
    std::vector<float> block;
    std::size_t step = 1;
    while (!tone.finished() && left.size() < limit_frames) {
        step = step % 1000 + 137;
        block.assign(step * 2, 0.0f);
        const std::size_t added = tone.mix_into(block.data(), step);
        for (std::size_t i = added; i < step; ++i)
            EXPECT_EQ(block[2 * i], 0.0f) << "nothing past the end";
        for (std::size_t i = 0; i < added; ++i) {
            EXPECT_EQ(block[2 * i], block[2 * i + 1]) << "both channels carry the tone";
            left.push_back(block[2 * i]);
        }
    }
    return left;
}

double peak(const std::vector<float>& s, std::size_t from, std::size_t to) {
    double p = 0;
    for (std::size_t i = from; i < to && i < s.size(); ++i)
        p = std::max(p, double(std::abs(s[i])));
    return p;
}

double max_step(const std::vector<float>& s) {
    double step = std::abs(s.empty() ? 0.0 : double(s.front()));  // from silence
    for (std::size_t i = 1; i < s.size(); ++i)
        step = std::max(step, double(std::abs(s[i] - s[i - 1])));
    return std::max(step, s.empty() ? 0.0 : double(std::abs(s.back())));  // back to silence
}

// The largest step a steady sine of this amplitude and pitch takes between two samples.
double sine_step(const TestToneSpec& spec) {
    return spec.amplitude * 2 * std::numbers::pi * spec.frequency_hz / kRate;
}

TEST(TestTone, LastsItsDurationThenAddsNothing) {
    const TestToneSpec spec;
    TestTone tone(spec, kRate);
    EXPECT_EQ(tone.total_frames(), 2u * kRate);
    const auto samples = render_all(tone);
    EXPECT_EQ(samples.size(), 2u * kRate);
    EXPECT_TRUE(tone.finished());
    std::vector<float> after(512 * 2, 0.25f);
    EXPECT_EQ(tone.mix_into(after.data(), 512), 0u);
    for (float v : after)
        EXPECT_EQ(v, 0.25f);
}

TEST(TestTone, SteadyPartPeaksAtTheAmplitudeAndNeverAbove) {
    const TestToneSpec spec;
    TestTone tone(spec, kRate);
    const auto s = render_all(tone);
    const std::size_t fade = kRate * 50 / 1000;
    EXPECT_NEAR(peak(s, fade, s.size() - fade), spec.amplitude, 0.001);
    EXPECT_LE(peak(s, 0, s.size()), spec.amplitude + 1e-6);
}

TEST(TestTone, FadesInAndOutOverFiftyMilliseconds) {
    const TestToneSpec spec;
    TestTone tone(spec, kRate);
    const auto s = render_all(tone);
    const std::size_t fade = kRate * 50 / 1000;
    // Inside each fade the tone stays under the linear envelope; right after it, it is full.
    for (std::size_t i = 0; i < fade; ++i) {
        const double in_envelope = spec.amplitude * double(i) / double(fade);
        ASSERT_LE(std::abs(s[i]), in_envelope + 1e-6) << "fade-in frame " << i;
        const std::size_t j = s.size() - 1 - i;
        const double out_envelope = spec.amplitude * double(s.size() - j) / double(fade);
        ASSERT_LE(std::abs(s[j]), out_envelope + 1e-6) << "fade-out frame " << j;
    }
    EXPECT_LT(peak(s, 0, fade / 5), spec.amplitude * 0.25);
    EXPECT_GT(peak(s, fade, fade + kRate / 100), spec.amplitude * 0.95);
    EXPECT_LT(peak(s, s.size() - fade / 5, s.size()), spec.amplitude * 0.25);
    // No click: from silence, through the fades, back to silence, no step exceeds the sine's own.
    EXPECT_LE(max_step(s), sine_step(spec) * 1.01);
}

TEST(TestTone, PlaysTheAskedPitch) {
    const TestToneSpec spec;
    TestTone tone(spec, kRate);
    const auto s = render_all(tone);
    int crossings = 0;
    for (std::size_t i = kRate / 2 + 1; i < std::size_t(kRate) * 3 / 2; ++i)
        if ((s[i - 1] < 0) != (s[i] < 0)) ++crossings;
    EXPECT_NEAR(crossings, 2 * spec.frequency_hz, 2);  // one second: two crossings a cycle
}

TEST(TestTone, IsAddedOnTopOfWhatIsAlreadyThere) {
    TestTone alone(TestToneSpec{}, kRate), mixed(TestToneSpec{}, kRate);
    std::vector<float> a(4096 * 2, 0.0f), b(4096 * 2, 0.1f);
    alone.mix_into(a.data(), 4096);
    mixed.mix_into(b.data(), 4096);
    for (std::size_t i = 0; i < a.size(); ++i)
        ASSERT_NEAR(b[i], a[i] + 0.1f, 1e-6);
}

TEST(TestTone, ReleasedEarlyItStillFadesWithoutAJump) {
    struct Case {
        const char* when;
        std::size_t release_at;  // frames rendered before release()
    };
    const std::size_t fade = kRate * 50 / 1000;
    for (const Case c :
         {Case{"during the fade-in", fade / 3}, Case{"in the steady part", kRate / 2},
          Case{"during the fade-out", 2 * kRate - fade / 2}}) {
        const TestToneSpec spec;
        TestTone tone(spec, kRate);
        std::vector<float> first(c.release_at * 2, 0.0f);
        ASSERT_EQ(tone.mix_into(first.data(), c.release_at), c.release_at);
        tone.release();
        std::vector<float> s;
        for (std::size_t i = 0; i < c.release_at; ++i)
            s.push_back(first[2 * i]);
        const auto rest = render_all(tone);
        s.insert(s.end(), rest.begin(), rest.end());
        EXPECT_TRUE(tone.finished()) << c.when;
        EXPECT_LE(rest.size(), fade) << c.when << ": ends within one fade";
        EXPECT_LE(max_step(s), sine_step(spec) * 1.01) << c.when;
    }
}

TEST(TestTone, VolumeIsAShareOfTheRoomsMaximum) {
    struct Case {
        double max_volume;
        double expected;
    };
    const TestToneSpec spec;  // half of max_volume
    for (const Case c : {Case{70, 35}, Case{100, 50}, Case{40, 20}, Case{0, 0}, Case{150, 50}}) {
        const double v = test_tone_volume(spec, c.max_volume);
        EXPECT_DOUBLE_EQ(v, c.expected) << "max_volume " << c.max_volume;
        if (c.max_volume > 0) {
            EXPECT_LT(v, std::min(c.max_volume, 100.0));
        }
    }
}

}  // namespace
}  // namespace haven::audio
