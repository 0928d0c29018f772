#pragma once
// What an output's real-time callback pulls interleaved stereo float frames from: the
// daemon's OutputRenderer (the null sink, the audio sink's pump), or, inside the audio sink
// process, the shared ring the daemon fills (sink_channel.hpp).
// Thread: render() from the output's real-time thread only; it must not lock, allocate,
// log or throw.

#include <cstddef>

namespace haven::audio {

inline constexpr int kChannels = 2;

class FrameSource {
  public:
    virtual void render(float* out, std::size_t frames) noexcept = 0;

  protected:
    ~FrameSource() = default;
};

}  // namespace haven::audio
