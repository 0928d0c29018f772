#pragma once
// The shipped demo playlists, as the audio tests play them.
#include <filesystem>
#include <map>
#include <string>

#include "playlist.hpp"

namespace haven::audio::test {

inline const std::filesystem::path kPlaylists =
    std::filesystem::path(HAVEN_SOURCE_DIR) / "playlists";

inline std::map<std::string, playlists::Playlist> demo_playlists() {
    std::map<std::string, playlists::Playlist> all;
    all["arrival"] =
        playlists::load_playlist({.id = "arrival", .location = kPlaylists / "arrival.m3u"});
    all["deep"] = playlists::load_playlist(
        {.id = "deep", .location = kPlaylists / "deep", .is_folder = true});
    return all;
}

}  // namespace haven::audio::test
