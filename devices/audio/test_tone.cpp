#include "test_tone.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "volume_curve.hpp"

namespace haven::audio {
namespace {

std::uint64_t frames_in(Millis duration, int rate) {
    return static_cast<std::uint64_t>(std::max<long long>(0, duration.count())) *
           static_cast<std::uint64_t>(std::max(rate, 1)) / 1000;
}

}  // namespace

double test_tone_volume(const TestToneSpec& spec, double max_volume) noexcept {
    const double cap = cap_volume(max_volume, 100);
    return cap * std::clamp(spec.share_of_max_volume, 0.0, 1.0);
}

TestTone::TestTone(const TestToneSpec& spec, int sample_rate) noexcept
    : phase_step_(2 * std::numbers::pi * spec.frequency_hz / std::max(sample_rate, 1)),
      amplitude_(std::clamp(spec.amplitude, 0.0, 1.0)),
      fade_frames_(std::max<std::uint64_t>(1, frames_in(spec.fade, sample_rate))),
      end_(frames_in(spec.duration, sample_rate)) {}

// Linear in and out; the lesser of the two, so a release mid-fade-in continues downward from
// the gain it had.
double TestTone::envelope(std::uint64_t frame) const noexcept {
    const double in = static_cast<double>(frame) / static_cast<double>(fade_frames_);
    const double out = static_cast<double>(end_ - frame) / static_cast<double>(fade_frames_);
    return std::min({1.0, in, out});
}

std::size_t TestTone::mix_into(float* stereo, std::size_t frames) noexcept {
    std::size_t i = 0;
    for (; i < frames && position_ < end_; ++i, ++position_) {
        const double sample = amplitude_ * envelope(position_) *
                              std::sin(phase_step_ * static_cast<double>(position_));
        stereo[2 * i] += static_cast<float>(sample);
        stereo[2 * i + 1] += static_cast<float>(sample);
    }
    return i;
}

void TestTone::release() noexcept {
    // Where the fade-out would start if it began now: envelope(position) stays the same.
    const double gain = position_ < end_ ? envelope(position_) : 0.0;
    const auto remaining =
        static_cast<std::uint64_t>(std::ceil(gain * static_cast<double>(fade_frames_)));
    end_ = std::min(end_, position_ + remaining);
}

}  // namespace haven::audio
