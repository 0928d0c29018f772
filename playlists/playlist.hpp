#pragma once
// The playlist model: an ordered list of audio files with display titles, read from an
// .m3u/.m3u8 file or a folder. Pure file-system reading, no decoding: whether a file
// decodes is found out (and skipped with a reason) by the player.
// Thread: any; the functions are re-entrant and share no state.

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

#include "diagnostic.hpp"
#include "room_config.hpp"

namespace haven::playlists {

struct Track {
    std::filesystem::path file;  // absolute or relative to the working directory, as resolved
    std::string title;           // #EXTINF title, else the file name without extension
};

struct Playlist {
    std::string id;
    std::vector<Track> tracks;     // only entries whose file exists
    bool shuffle = false;          // the player shuffles each round, without repeats
    config::Diagnostics problems;  // skipped entries and unreadable locations, file:line
};

// Parses m3u text. `playlist_file` names the source in diagnostics and anchors relative
// paths (to its folder). Entries whose file does not exist are left out and reported.
Playlist parse_m3u(std::istream& text, const std::filesystem::path& playlist_file);

// Audio files directly inside `folder` (not recursive), sorted by file name so the order
// is the same on every machine.
Playlist scan_folder(const std::filesystem::path& folder);

// Reads the configured location. Never throws for bad input: problems are in `problems`.
Playlist load_playlist(const config::PlaylistConfig& config);

// What the config checker reports: a missing location, an empty playlist, missing
// entries. Empty when the playlist is fit to play.
config::Diagnostics validate_playlist(const config::PlaylistConfig& config);

// True for the extensions the player decodes (libsndfile): wav flac ogg oga opus mp3 aiff.
bool is_audio_file(const std::filesystem::path& file);

}  // namespace haven::playlists
