#pragma once
// The room's music: playlists decoded on a decoder thread, mixed with crossfades, played
// through a JACK client, a PortAudio device or a null sink (audio.output: none) with ramped
// master volume (DeviceKeeper picks the output and reopens it after a loss).
// Every start, stop, switch and volume change is a ramp; nothing is ever cut hard.
// Thread: every member is for the control thread (the io_context loop); the class owns
// the decoder thread and the output's real-time thread, which it talks to lock-free.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "playlist.hpp"
#include "room_config.hpp"
#include "units.hpp"

namespace haven::audio {

class MusicPlayer {
  public:
    MusicPlayer(const config::AudioConfig& config,
                std::map<std::string, playlists::Playlist> playlists);
    ~MusicPlayer();  // fades out over tens of milliseconds, then closes the device
    MusicPlayer(const MusicPlayer&) = delete;
    MusicPlayer& operator=(const MusicPlayer&) = delete;

    // A device that comes back after a loss fades the music back in over this long.
    static constexpr Millis kDeviceResumeFade{3000};

    // Starts keeping the output device open (see DeviceKeeper) and waits up to 5 s for the
    // first attempt. False (status().device_ok == false) when the device is unavailable:
    // Haven runs on without sound, poll() keeps retrying, and music asked for meanwhile
    // starts when the device appears.
    bool open();

    // A change of the device's health since open() or the last report.
    struct DeviceChange {
        bool device_ok = false;
        std::string detail;  // e.g. "output 'system' lost: stream stopped"
    };
    // Call about once a second from the control thread. Reports each loss and each
    // recovery once (nullopt otherwise); on a recovery it (re)starts decoding so the music
    // that was playing resumes, fading in over kDeviceResumeFade. Never blocks on the
    // device: opening and retrying (backoff 1 s, 2 s, 4 s ... 30 s) run on the device
    // thread. Blocks at most for a mutex held for microseconds, or, when a reopened device
    // runs at a different sample rate, for joining the decoder thread (milliseconds).
    std::optional<DeviceChange> poll();

    // Plays `playlist` at `volume` (0..100, capped at audio.max_volume), reaching it over
    // `fade`. Switching playlists crossfades over audio.crossfade; the same playlist only
    // ramps the volume. Unknown playlists are logged and ignored.
    void play(const std::string& playlist, double volume, Millis fade);
    void set_volume(double volume, Millis fade);
    // Resumes: crossfades (or fades in from silence) to track `track_index` of `playlist`
    // at `position` into it, ramping to `volume` over `fade`. A position the file cannot
    // seek to starts that track from its beginning; an index out of range, the first track.
    void play_from(const std::string& playlist, std::size_t track_index, Millis position,
                   double volume, Millis fade);
    void next_track(Millis crossfade);
    // Ramps to silence, then stops decoding.
    void fade_out(Millis fade);

    // The tech's speaker check: a 2 s, 440 Hz tone (see TestToneSpec) mixed into the music
    // stream at half of audio.max_volume, faded in and out over 50 ms. nullopt when it
    // started; otherwise why not: no output device, music playing or fading, a tone already
    // playing. Music asked for while the tone plays fades the tone out and starts as usual.
    // The caller refuses it while a session is open (this class does not know sessions).
    std::optional<std::string> play_test_tone();

    struct Status {
        std::string state;     // "stopped" | "playing" | "fading_out" | "test_tone"
        std::string playlist;  // "" when stopped
        std::string title;
        double volume = 0;  // target volume in percent, after the max_volume cap
        bool device_ok = false;
        std::string device;  // what is open, or why nothing is
        std::uint64_t underruns = 0;
    };
    Status status() const;

    // What the listener hears now, for the journal: the track's index in its playlist and
    // the position in it (the decoder's lead still in the ring is subtracted). Nullopt when
    // stopped or fading out.
    struct NowPlaying {
        std::string playlist;
        std::size_t track_index = 0;
        Millis position{0};
    };
    std::optional<NowPlaying> now_playing() const;

    // For tests and diagnostics: output callbacks run so far, and the output sample rate.
    std::uint64_t callbacks() const;
    int sample_rate() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace haven::audio
