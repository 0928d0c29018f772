#pragma once
// A volume ramp advanced one frame at a time by the audio callback. It moves linearly in
// volume percent (the perceptual scale) and converts to gain per frame, so fades sound even
// and no frame-to-frame gain step is larger than the curve's slope times the step size.
// Thread: owned by one thread (the audio callback); noexcept, no allocation.

#include <cstdint>

#include "volume_curve.hpp"

namespace haven::audio {

class VolumeRamp {
  public:
    // Starts from wherever the ramp is now, so a new ramp mid-ramp never jumps.
    void start(double target_volume, std::uint32_t frames) noexcept {
        target_ = target_volume;
        remaining_ = frames;
        if (frames == 0) set_volume(target_volume);
        step_ = frames == 0 ? 0.0 : (target_volume - volume_) / frames;
    }

    // Gain for the next frame. Between ramps it is the cached gain: the curve's pow() runs
    // only while the volume moves, not 48,000 times a second for a steady volume.
    double next_gain() noexcept {
        if (remaining_ > 0) set_volume(--remaining_ == 0 ? target_ : volume_ + step_);
        return gain_;
    }

    double volume() const noexcept { return volume_; }
    double target() const noexcept { return target_; }
    bool ramping() const noexcept { return remaining_ > 0; }

  private:
    void set_volume(double volume) noexcept {
        volume_ = volume;
        gain_ = volume_to_gain(volume);
    }

    double volume_ = 0;
    double gain_ = 0;  // volume_to_gain(0)
    double target_ = 0;
    double step_ = 0;
    std::uint32_t remaining_ = 0;
};

}  // namespace haven::audio
