#pragma once
// The tech page's speaker check: a short sine tone, quiet and faded in and out so it never
// clicks or startles anyone near the speakers. Generated on the decoder thread and mixed into
// the music stream, so it reaches the room through the same ring, master volume and device as
// music. Pure; no allocation, locking or I/O after construction.

#include <cstddef>
#include <cstdint>

#include "units.hpp"

namespace haven::audio {

struct TestToneSpec {
    double frequency_hz = 440;
    double amplitude = 0.5;  // linear peak before the master volume: -6 dBFS
    Millis duration{2000};   // fades included
    Millis fade{50};         // in and out
    // The master volume while the tone plays, as a share of audio.max_volume: the tone is
    // always well below the loudest the room is allowed to play.
    double share_of_max_volume = 0.5;
};

// The master volume (percent) a tone plays at in a room whose cap is `max_volume`.
double test_tone_volume(const TestToneSpec& spec, double max_volume) noexcept;

class TestTone {
  public:
    TestTone(const TestToneSpec& spec, int sample_rate) noexcept;

    // Adds the next `frames` of the tone to interleaved stereo `stereo` (both channels), on
    // top of whatever is there (silence, or music that started meanwhile). Past the end it
    // adds nothing. Returns how many frames of tone it added (fewer than `frames` at the end).
    std::size_t mix_into(float* stereo, std::size_t frames) noexcept;
    // Ends the tone early with its usual fade-out, from wherever it is (e.g. music was asked
    // for). The envelope never jumps: a release during the fade-in fades out from there.
    void release() noexcept;

    bool finished() const noexcept { return position_ >= end_; }
    std::uint64_t total_frames() const noexcept { return end_; }

  private:
    double envelope(std::uint64_t frame) const noexcept;

    double phase_step_;  // radians per frame
    double amplitude_;
    std::uint64_t fade_frames_;
    std::uint64_t end_;
    std::uint64_t position_ = 0;
};

}  // namespace haven::audio
