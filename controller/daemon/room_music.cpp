#include "room_music.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "playlist.hpp"

namespace haven::daemon {
namespace {

std::map<std::string, playlists::Playlist> load_playlists(const config::RoomConfig& config) {
    std::map<std::string, playlists::Playlist> loaded;
    for (const auto& [id, playlist_config] : config.playlists) {
        auto playlist = playlists::load_playlist(playlist_config);
        for (const auto& problem : playlist.problems)
            spdlog::warn("playlist {}: {}", id, problem.to_string());
        loaded.emplace(id, std::move(playlist));
    }
    return loaded;
}

}  // namespace

RoomMusic::RoomMusic(const config::RoomConfig& config)
    : player_(config.audio, load_playlists(config)) {
    if (!player_.open())
        spdlog::error("audio: output '{}' unavailable; the room runs on without music",
                      config.audio.output);
}

void RoomMusic::play(const engine::MusicEffect& effect, Millis real_fade) {
    if (effect.playlist)
        player_.play(*effect.playlist, effect.volume, real_fade);
    else
        player_.set_volume(effect.volume, real_fade);
}

void RoomMusic::next_track(Millis crossfade) {
    player_.next_track(crossfade);
}

void RoomMusic::fade_out(Millis real_fade) {
    player_.fade_out(real_fade);
}

void RoomMusic::play_from(const std::string& playlist, std::size_t track_index, Millis position,
                          double volume, Millis real_fade) {
    spdlog::info("resume: music continues track {} of '{}' at {} s", track_index + 1, playlist,
                 position.count() / 1000);
    player_.play_from(playlist, track_index, position, volume, real_fade);
    last_track_ = {playlist, track_index};
}

std::optional<audio::MusicPlayer::NowPlaying> RoomMusic::track_change() {
    auto playing = player_.now_playing();
    if (!playing) return std::nullopt;
    if (playing->playlist == last_track_.first && playing->track_index == last_track_.second)
        return std::nullopt;
    last_track_ = {playing->playlist, playing->track_index};
    return playing;
}

nlohmann::json RoomMusic::status_json() const {
    auto s = player_.status();
    return {{"state", s.state},   {"playlist", s.playlist},   {"title", s.title},
            {"volume", s.volume}, {"device_ok", s.device_ok}, {"underruns", s.underruns}};
}

}  // namespace haven::daemon
