#pragma once
// Decodes one audio file (libsndfile: WAV, FLAC, Ogg Vorbis, Opus, MP3) to interleaved
// stereo float at the output rate (libsamplerate), so every track mixes with every other
// whatever its own rate and channel count. Thread: the decoder thread.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

namespace haven::audio {

class TrackDecoder {
  public:
    // Throws std::runtime_error naming the file and libsndfile's reason when it cannot decode.
    TrackDecoder(const std::filesystem::path& file, int output_rate);
    ~TrackDecoder();
    TrackDecoder(const TrackDecoder&) = delete;
    TrackDecoder& operator=(const TrackDecoder&) = delete;

    // Fills up to `frames` stereo frames; returns fewer only when the track has ended.
    std::size_t read(float* stereo, std::size_t frames);

    // Moves to `frames` output-rate frames from the start (libsndfile's sf_seek, resampler
    // reset). False, with the position unchanged, when the file cannot seek or the position
    // lies beyond its end.
    bool seek(std::uint64_t frames);

    bool finished() const;
    // Length and position in output-rate frames (length estimated from the file's header).
    std::uint64_t length_frames() const;
    std::uint64_t position_frames() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace haven::audio
