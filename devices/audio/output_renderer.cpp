#include "output_renderer.hpp"

#include <algorithm>
#include <bit>

namespace haven::audio {

void OutputRenderer::request_ramp(double volume, std::uint32_t frames) noexcept {
    const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(volume));
    ramp_request_.store((std::uint64_t{bits} << 32) | frames, std::memory_order_release);
}

void OutputRenderer::request_ramp_from_silence(double volume, std::uint32_t frames) noexcept {
    from_silence_.store(true, std::memory_order_relaxed);
    request_ramp(volume, frames);  // its release store publishes the flag too
}

bool OutputRenderer::ramping() const noexcept {
    return ramping_.load(std::memory_order_relaxed) ||
           ramp_request_.load(std::memory_order_acquire) != kNoRequest;
}

void OutputRenderer::take_ramp_request() noexcept {
    const std::uint64_t request = ramp_request_.exchange(kNoRequest, std::memory_order_acq_rel);
    if (request == kNoRequest) return;
    const float volume = std::bit_cast<float>(static_cast<std::uint32_t>(request >> 32));
    if (from_silence_.exchange(false, std::memory_order_relaxed)) ramp_.start(0, 0);
    ramp_.start(volume, static_cast<std::uint32_t>(request & 0xFFFFFFFFu));
}

void OutputRenderer::render(float* out, std::size_t frames) noexcept {
    const std::uint64_t skip = skip_request_.exchange(kNoRequest, std::memory_order_acq_rel);
    if (skip != kNoRequest) ring_.skip_to(skip);
    take_ramp_request();
    const std::size_t wanted = frames * kChannels;
    const std::size_t got = ring_.read(out, wanted);
    if (got > 0) primed_ = true;
    if (got < wanted) {
        std::fill(out + got, out + wanted, 0.0f);
        if (primed_) underruns_.fetch_add(1, std::memory_order_relaxed);
    }
    for (std::size_t frame = 0; frame < frames; ++frame) {
        const auto gain = static_cast<float>(ramp_.next_gain());
        for (int c = 0; c < kChannels; ++c)
            out[frame * kChannels + c] *= gain;
    }
    volume_.store(ramp_.volume(), std::memory_order_relaxed);
    ramping_.store(ramp_.ramping(), std::memory_order_relaxed);
    frames_rendered_.fetch_add(frames, std::memory_order_relaxed);
    callbacks_.fetch_add(1, std::memory_order_release);
}

}  // namespace haven::audio
