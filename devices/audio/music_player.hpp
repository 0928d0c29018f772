#pragma once
// The room's music: playlists decoded on a decoder thread, mixed with crossfades, played
// through PortAudio (or a null sink for audio.output: none) with ramped master volume.
// Every start, stop, switch and volume change is a ramp; nothing is ever cut hard.
// Thread: every member is for the control thread (the io_context loop); the class owns
// the decoder thread and the output's real-time thread, which it talks to lock-free.

#include <cstdint>
#include <map>
#include <memory>
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

    // Opens the output device and starts the decoder. False (status().device_ok == false)
    // when the device is unavailable: Haven runs on without sound.
    bool open();

    // Plays `playlist` at `volume` (0..100, capped at audio.max_volume), reaching it over
    // `fade`. Switching playlists crossfades over audio.crossfade; the same playlist only
    // ramps the volume. Unknown playlists are logged and ignored.
    void play(const std::string& playlist, double volume, Millis fade);
    void set_volume(double volume, Millis fade);
    void next_track(Millis crossfade);
    // Ramps to silence, then stops decoding.
    void fade_out(Millis fade);

    struct Status {
        std::string state;     // "stopped" | "playing" | "fading_out"
        std::string playlist;  // "" when stopped
        std::string title;
        double volume = 0;  // target volume in percent, after the max_volume cap
        bool device_ok = false;
        std::uint64_t underruns = 0;
    };
    Status status() const;

    // For tests and diagnostics: output callbacks run so far, and the output sample rate.
    std::uint64_t callbacks() const;
    int sample_rate() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace haven::audio
