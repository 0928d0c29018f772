#pragma once
// Produces the room's music as one stereo stream: the current track plus any tracks still
// fading out, mixed with equal-power crossfades. Every change (next track, track end,
// playlist switch, start from silence) is a fade; a voice interrupted mid-fade-in fades out
// from the gain it had, so nothing ever jumps. Undecodable files are skipped with a logged
// reason. Thread: the decoder thread only (it may allocate, log and block on file I/O).

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "playlist.hpp"

namespace haven::audio {

class PlaylistCursor;

class TrackMixer {
  public:
    TrackMixer(std::map<std::string, playlists::Playlist> playlists, int output_rate,
               std::uint32_t track_crossfade_frames);
    ~TrackMixer();

    // Switches to `playlist` (from its first track, or fresh shuffle) with a crossfade of
    // `fade_frames`; from silence the first track fades in over `fade_frames`. Playing the
    // current playlist again does nothing. Returns false for an unknown or empty playlist.
    bool play(const std::string& playlist, std::uint32_t fade_frames);
    // Crossfades (or fades in from silence) to track `track_index` of `playlist` at
    // `position_frames` into it, even when that playlist is already playing: resuming after
    // a restart. A position the file cannot seek to starts the track from its beginning.
    bool play_from(const std::string& playlist, std::size_t track_index,
                   std::uint64_t position_frames, std::uint32_t fade_frames);
    // Crossfades to the next track of the current playlist.
    void next(std::uint32_t fade_frames);
    // Drops every voice at once: call only when the output is already at volume 0.
    void stop();

    // Always fills `frames` interleaved stereo frames (silence when nothing plays).
    void render(float* stereo, std::size_t frames);

    bool playing() const;
    std::string playlist() const;  // "" when stopped
    std::string title() const;     // "" when stopped
    // The current track's index in its playlist and how far it has been decoded.
    std::size_t track_index() const;
    std::uint64_t position_frames() const;

  private:
    struct Voice;
    static constexpr std::uint32_t kMinimumFadeFrames = 480;  // 10 ms at 48 kHz
    bool open_track(const std::shared_ptr<PlaylistCursor>& cursor, std::uint32_t fade_frames);
    const playlists::Playlist* find_playable(const std::string& id) const;
    bool start_next_track(std::uint32_t fade_frames);
    void fade_out_current(std::uint32_t fade_frames);

    std::map<std::string, playlists::Playlist> playlists_;
    int output_rate_;
    std::uint32_t track_crossfade_frames_;
    std::unique_ptr<Voice> current_;
    std::vector<std::unique_ptr<Voice>> fading_;
    std::vector<float> scratch_;
    unsigned seed_ = 1;
};

}  // namespace haven::audio
