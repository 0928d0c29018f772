#pragma once
// What the audio callback does, separated from PortAudio so tests can drive it with plain
// buffers: read interleaved stereo from the ring, apply the master volume ramp, pad with
// silence on underrun and count it. Ramp requests arrive from the control thread through
// one atomic word. Thread: render() from the audio thread only; request_ramp() and the
// getters from any thread. Nothing here locks, allocates, logs or throws.

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "frame_source.hpp"
#include "spsc_ring.hpp"
#include "volume_ramp.hpp"

namespace haven::audio {

class OutputRenderer final : public FrameSource {
  public:
    explicit OutputRenderer(SpscRing<float>& ring) : ring_(ring) {}

    void render(float* out, std::size_t frames) noexcept override;

    // Moves the master volume (percent, already capped) to `volume` over `frames` frames,
    // starting from wherever it is when the callback picks the request up.
    void request_ramp(double volume, std::uint32_t frames) noexcept;
    // Like request_ramp, but the ramp starts from silence: for a device that comes back
    // after a loss, whose last gain is no longer what the listener heard.
    void request_ramp_from_silence(double volume, std::uint32_t frames) noexcept;

    // Makes the next callback drop everything in the ring before `position` (a write
    // position): audio decoded for a device that has gone, at a rate that no longer holds.
    void request_skip_to(std::uint64_t position) noexcept {
        skip_request_.store(position, std::memory_order_release);
    }

    double volume() const noexcept { return volume_.load(std::memory_order_relaxed); }
    // True while a ramp runs or a request is waiting for the next callback.
    bool ramping() const noexcept;
    std::uint64_t underruns() const noexcept { return underruns_.load(std::memory_order_relaxed); }
    std::uint64_t callbacks() const noexcept { return callbacks_.load(std::memory_order_relaxed); }
    std::uint64_t frames_rendered() const noexcept {
        return frames_rendered_.load(std::memory_order_relaxed);
    }

  private:
    static constexpr std::uint64_t kNoRequest = ~std::uint64_t{0};

    void take_ramp_request() noexcept;

    SpscRing<float>& ring_;
    VolumeRamp ramp_;      // audio thread only
    bool primed_ = false;  // audio thread only: no underruns are counted before the first data
    std::atomic<std::uint64_t> ramp_request_{kNoRequest};
    std::atomic<bool> from_silence_{false};
    std::atomic<std::uint64_t> skip_request_{
        kNoRequest};  // read with the request it was stored before
    std::atomic<double> volume_{0};
    std::atomic<bool> ramping_{false};
    std::atomic<std::uint64_t> underruns_{0};
    std::atomic<std::uint64_t> callbacks_{0};
    std::atomic<std::uint64_t> frames_rendered_{0};
};

}  // namespace haven::audio
