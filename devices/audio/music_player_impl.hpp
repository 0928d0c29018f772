#pragma once
// MusicPlayer's insides, shared by music_player.cpp (the control thread's side: commands,
// volume, device health, what is playing) and music_decoder.cpp (the decoder thread: it
// takes commands, decodes and mixes, and keeps the ring ahead of the output's callback).
// Private to haven_audio.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include "device_keeper.hpp"
#include "music_player.hpp"
#include "output_renderer.hpp"
#include "spsc_ring.hpp"
#include "test_tone.hpp"
#include "track_mixer.hpp"

namespace haven::audio {

// The decoder's lead: about 0.7 s at 48 kHz. Enough to ride out a busy machine, short
// enough that a crossfade starts soon after it is asked for.
inline constexpr std::size_t kRingFrames = 32768;
inline constexpr std::chrono::milliseconds kTopUpEvery{40};
inline constexpr std::size_t kDecodeBlockFrames = 1024;
inline constexpr Millis kShutdownFade{40};
inline constexpr Millis kFirstOpenWait{5000};

// Durations travel as Millis: the decoder converts them at its own rate, which is not
// known before the device has opened.
struct PlayCommand {
    std::string playlist;
    Millis fade;  // used when starting from silence
};
struct PlayFromCommand {
    std::string playlist;
    std::size_t track_index;
    Millis position;
    Millis fade;
};
struct NextCommand {
    Millis fade;
};
struct FadeOutCommand {};
struct TestToneCommand {};
using Command =
    std::variant<PlayCommand, PlayFromCommand, NextCommand, FadeOutCommand, TestToneCommand>;

inline bool is_test_tone(const Command& command) {
    return std::holds_alternative<TestToneCommand>(command);
}

inline std::uint32_t frames_at(Millis duration, int rate) {
    const auto count = duration.count() * static_cast<long long>(rate) / 1000;
    return static_cast<std::uint32_t>(std::clamp<long long>(count, 0, 0xFFFFFFF0));
}

struct MusicPlayer::Impl {
    config::AudioConfig config;
    std::map<std::string, playlists::Playlist> playlists;
    SpscRing<float> ring{kRingFrames * kChannels};
    OutputRenderer renderer{ring};
    std::atomic<double> target_volume{0};  // written by the control thread only
    std::unique_ptr<DeviceKeeper> keeper;
    int rate = 0;  // the decoder's rate; set while no decoder thread runs

    // Control thread only: what poll() has reported so far.
    bool reported_ok = false;
    std::uint64_t reported_opens = 0;

    // Control thread -> decoder thread. A mutex is fine here: neither side is real-time.
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::vector<Command> commands;
    Status shown;  // decoder thread -> status(), guarded by mutex
    // Commands the decoder has taken off `commands` but whose effect `shown` does not show
    // yet: without them a test tone asked for in that window would be accepted beside a
    // tone or music already on its way. Guarded by mutex.
    bool tone_in_hand = false;
    bool music_in_hand = false;
    std::size_t shown_track = 0;
    std::uint64_t shown_position = 0;        // decoded frames into the current track
    std::uint64_t shown_write_position = 0;  // ring write position when it was taken
    std::jthread decoder;

    // Before the device has opened there is no rate yet: fades asked for meanwhile are
    // measured at 48 kHz rather than collapsing to nothing.
    std::uint32_t frames(Millis duration) const {
        return frames_at(duration, rate > 0 ? rate : 48000);
    }

    void send(Command command);

    void start_decoder(int sample_rate);

    void stop_decoder();

    void decode_loop(const std::stop_token& stop);

    void handle(Command& command, TrackMixer& mixer, bool& stopping, std::optional<TestTone>& tone);

    void publish(const TrackMixer& mixer, bool stopping, bool tone);

    void ramp_to(double volume, Millis fade);

    // A device opened for the first time starts the decoder; one reopened at another
    // sample rate restarts it at the new rate, resuming where the music was.
    void follow_device(const DeviceKeeper::Snapshot& device);

    std::optional<NowPlaying> now_playing() const;
};

}  // namespace haven::audio
