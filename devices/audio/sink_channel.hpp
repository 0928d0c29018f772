#pragma once
// The shared memory between the daemon and its audio sink process (audio_sink_main.cpp):
// a lock-free single-producer/single-consumer ring of interleaved stereo frames, which the
// daemon's pump fills from the OutputRenderer and the sink's device callback drains
// (silence on underrun), plus the sink's state, sample rate and error text.
//
// One memfd, created by the daemon and inherited by the sink. The atomics are lock-free and
// so address-free: they work across the two mappings. Every field is written by one side
// only; the comments say which.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "frame_source.hpp"

namespace haven::audio {

enum class SinkState : std::uint32_t {
    starting = 0,  // the sink is opening its device
    playing = 1,   // open; sample_rate is set; the callback drains the ring
    failed = 2,    // could not open; error says why; the sink exits
    lost = 3,      // the device stopped or its server went away; the sink exits
};

struct SinkShared {
    // About 0.34 s at 48 kHz; the daemon keeps far less than this in it (see sink_output).
    static constexpr std::size_t kFrames = 16384;

    std::atomic<SinkState> state{SinkState::starting};  // sink writes
    std::atomic<std::int32_t> sample_rate{0};           // sink writes, before `playing`
    char error[256]{};                                  // sink writes, before `failed`
    alignas(64) std::atomic<std::uint64_t> written{0};  // daemon writes: frames ever written
    alignas(64) std::atomic<std::uint64_t> read{0};     // sink writes: frames ever consumed
    std::atomic<std::uint64_t> underruns{0};            // sink writes: callbacks short of data
    float samples[kFrames * kChannels]{};               // daemon writes ahead of `read`
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<SinkState>::is_always_lock_free);

// The daemon's side: a fresh, zeroed channel. Throws std::system_error when the kernel
// refuses the memfd or the mapping.
class SinkChannel {
  public:
    SinkChannel();
    ~SinkChannel();
    SinkChannel(const SinkChannel&) = delete;
    SinkChannel& operator=(const SinkChannel&) = delete;

    int fd() const { return fd_; }
    SinkShared& shared() { return *shared_; }

    // Daemon side: the frames written but not yet consumed.
    std::size_t lead() const noexcept;
    // Daemon side: renders `frames` from `source` into the ring (never more than fits).
    void fill_from(FrameSource& source, std::size_t frames) noexcept;

  private:
    int fd_ = -1;
    SinkShared* shared_ = nullptr;
};

// The sink's side: maps the channel the daemon passed as `fd`. Null when it cannot.
SinkShared* map_sink_channel(int fd);

// The sink's callback: drains the ring into `out`, silence for whatever is missing.
class SinkRingReader final : public FrameSource {
  public:
    explicit SinkRingReader(SinkShared& shared) : shared_(shared) {}
    void render(float* out, std::size_t frames) noexcept override;

  private:
    SinkShared& shared_;
};

}  // namespace haven::audio
