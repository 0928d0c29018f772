#pragma once
// The room's music on the control loop: the player built from the config's playlists, the
// engine's music effects played on it, and once a second the output's health and the track
// playing (journaled, so a restart resumes the same track at the same place).
// Control thread only; the player itself owns the audio threads.

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "engine_types.hpp"
#include "music_player.hpp"
#include "room_config.hpp"

namespace haven::daemon {

class RoomMusic {
  public:
    // Loads the playlists (logging their problems) and opens the output; a room whose output
    // is unavailable runs on without music, and the player keeps trying to reopen it.
    explicit RoomMusic(const config::RoomConfig& config);

    // Fades are already on real time.
    void play(const engine::MusicEffect& effect, Millis real_fade);
    void next_track(Millis crossfade);
    void fade_out(Millis real_fade);
    // Resume: continue `track_index` of `playlist` at `position`, if the effect plays it.
    void play_from(const std::string& playlist, std::size_t track_index, Millis position,
                   double volume, Millis real_fade);
    std::optional<std::string> play_test_tone() { return player_.play_test_tone(); }

    // The output went away or came back since the last call.
    std::optional<audio::MusicPlayer::DeviceChange> device_change() { return player_.poll(); }
    // The track now playing, when it differs from the one last reported.
    std::optional<audio::MusicPlayer::NowPlaying> track_change();

    nlohmann::json status_json() const;

  private:
    audio::MusicPlayer player_;
    std::pair<std::string, std::size_t> last_track_;
};

}  // namespace haven::daemon
