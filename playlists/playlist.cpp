#include "playlist.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <string_view>
#include <system_error>
#include <utility>

#include "text_case.hpp"

namespace haven::playlists {
namespace fs = std::filesystem;

namespace {

std::string_view trim(std::string_view text) {
    const auto not_space = [](char c) { return !std::isspace(static_cast<unsigned char>(c)); };
    const auto begin = std::find_if(text.begin(), text.end(), not_space);
    const auto end = std::find_if(text.rbegin(), text.rend(), not_space).base();
    return begin < end ? std::string_view(begin, end) : std::string_view{};
}

// "#EXTINF:123,Artist - Title" -> "Artist - Title"; "" when there is no title.
std::string extinf_title(std::string_view line) {
    const auto comma = line.find(',');
    if (comma == std::string_view::npos) return {};
    return std::string(trim(line.substr(comma + 1)));
}

bool is_url(std::string_view entry) {
    return entry.find("://") != std::string_view::npos;
}

config::Diagnostic problem(const fs::path& file, int line, std::string message) {
    return config::Diagnostic{.file = file.string(),
                              .line = line,
                              .column = line > 0 ? 1 : 0,
                              .message = std::move(message)};
}

}  // namespace

bool is_audio_file(const fs::path& file) {
    static constexpr std::array kExtensions{".wav",  ".flac", ".ogg", ".oga",
                                            ".opus", ".mp3",  ".aif", ".aiff"};
    const std::string ext = ascii_lower(file.extension().string());
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

Playlist parse_m3u(std::istream& text, const fs::path& playlist_file) {
    Playlist playlist;
    const fs::path base = playlist_file.parent_path();
    std::string pending_title;
    std::string raw;
    int line_number = 0;
    while (std::getline(text, raw)) {
        ++line_number;
        std::string_view line = trim(raw);
        if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line = trim(line.substr(3));
        if (line.empty()) continue;
        if (line.starts_with("#")) {
            // Only #EXTINF carries meaning for us; #EXTM3U and other tags are comments.
            if (line.starts_with("#EXTINF:")) pending_title = extinf_title(line);
            continue;
        }
        std::string title = std::exchange(pending_title, {});
        if (is_url(line)) {
            playlist.problems.push_back(problem(playlist_file, line_number,
                                                "streams are not supported: " + std::string(line)));
            continue;
        }
        fs::path entry{std::string(line)};
        if (entry.is_relative()) entry = base / entry;
        std::error_code error;
        if (!fs::is_regular_file(entry, error)) {
            playlist.problems.push_back(
                problem(playlist_file, line_number, "file not found: " + entry.string()));
            continue;
        }
        if (title.empty()) title = entry.stem().string();
        playlist.tracks.push_back(
            Track{.file = entry.lexically_normal(), .title = std::move(title)});
    }
    return playlist;
}

Playlist scan_folder(const fs::path& folder) {
    Playlist playlist;
    std::error_code error;
    fs::directory_iterator it(folder, error);
    if (error) {
        playlist.problems.push_back(
            problem(folder, 0, "cannot read playlist folder: " + error.message()));
        return playlist;
    }
    for (const fs::directory_entry& entry : it) {
        if (entry.is_regular_file(error) && is_audio_file(entry.path())) {
            playlist.tracks.push_back(
                Track{.file = entry.path(), .title = entry.path().stem().string()});
        }
    }
    std::sort(playlist.tracks.begin(), playlist.tracks.end(),
              [](const Track& a, const Track& b) { return a.file.filename() < b.file.filename(); });
    return playlist;
}

Playlist load_playlist(const config::PlaylistConfig& config) {
    Playlist playlist;
    std::error_code error;
    if (config.is_folder || fs::is_directory(config.location, error)) {
        playlist = scan_folder(config.location);
    } else {
        std::ifstream file(config.location);
        if (!file) {
            playlist.problems.push_back(problem(config.location, 0, "cannot open playlist file"));
        } else {
            playlist = parse_m3u(file, config.location);
        }
    }
    playlist.id = config.id;
    playlist.shuffle = config.shuffle;
    return playlist;
}

config::Diagnostics validate_playlist(const config::PlaylistConfig& config) {
    Playlist playlist = load_playlist(config);
    config::Diagnostics problems = std::move(playlist.problems);
    if (playlist.tracks.empty()) {
        problems.push_back(problem(config.location, 0,
                                   "playlist '" + config.id + "' has no playable audio files"));
    }
    return problems;
}

}  // namespace haven::playlists
