// load_playlist / validate_playlist on the shipped demo playlists and on bad locations.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "playlist.hpp"
#include "temp_dir.hpp"

namespace haven::playlists {
namespace {
namespace fs = std::filesystem;

const fs::path kPlaylists = fs::path(HAVEN_SOURCE_DIR) / "playlists";

config::PlaylistConfig config_for(std::string id, fs::path location, bool folder) {
    return config::PlaylistConfig{
        .id = std::move(id), .location = std::move(location), .is_folder = folder};
}

TEST(LoadPlaylist, ShippedArrivalM3uHasTitledTracks) {
    const Playlist p = load_playlist(config_for("arrival", kPlaylists / "arrival.m3u", false));
    EXPECT_EQ(p.id, "arrival");
    EXPECT_TRUE(p.problems.empty());
    ASSERT_EQ(p.tracks.size(), 3u);
    EXPECT_EQ(p.tracks[0].title, "Haven demo - First light");
    for (const Track& t : p.tracks)
        EXPECT_TRUE(fs::is_regular_file(t.file)) << t.file;
}

TEST(LoadPlaylist, ShippedDeepFolderIsSortedByName) {
    const Playlist p = load_playlist(config_for("deep", kPlaylists / "deep", true));
    ASSERT_EQ(p.tracks.size(), 2u);
    EXPECT_EQ(p.tracks[0].file.filename(), "01-undertow.ogg");
    EXPECT_EQ(p.tracks[1].file.filename(), "02-still-water.ogg");
    EXPECT_EQ(p.tracks[1].title, "02-still-water");
    EXPECT_TRUE(validate_playlist(config_for("deep", kPlaylists / "deep", true)).empty());
}

TEST(LoadPlaylist, ShippedMusicIsSmall) {
    std::uintmax_t total = 0;
    for (const auto& e : fs::recursive_directory_iterator(kPlaylists)) {
        if (e.is_regular_file() && is_audio_file(e.path())) total += e.file_size();
    }
    EXPECT_GT(total, 0u);
    EXPECT_LT(total, 3u * 1024 * 1024);
}

TEST(LoadPlaylist, FolderIgnoresNonAudioAndSortsMixedExtensions) {
    const haven::test::TempDir dir("folder-playlist");
    fs::create_directories(dir / "nested");
    for (const char* n : {"b.FLAC", "a.ogg", "notes.txt", "cover.jpg", "nested/z.ogg"}) {
        std::ofstream(dir / n) << "x";
    }
    const Playlist p = load_playlist(config_for("f", dir.path(), true));
    ASSERT_EQ(p.tracks.size(), 2u);
    EXPECT_EQ(p.tracks[0].file.filename(), "a.ogg");
    EXPECT_EQ(p.tracks[1].file.filename(), "b.FLAC");
}

TEST(ValidatePlaylist, ReportsUnreadableLocations) {
    const auto missing_file = validate_playlist(config_for("x", "/nonexistent/list.m3u", false));
    ASSERT_FALSE(missing_file.empty());
    EXPECT_NE(missing_file[0].to_string().find("/nonexistent/list.m3u"), std::string::npos);

    const auto missing_folder = validate_playlist(config_for("x", "/nonexistent/dir", true));
    ASSERT_FALSE(missing_folder.empty());
    EXPECT_NE(missing_folder[0].message.find("cannot read playlist folder"), std::string::npos);
}

TEST(ValidatePlaylist, EmptyFolderIsAProblem) {
    const haven::test::TempDir dir("empty-playlist");
    const auto problems = validate_playlist(config_for("quiet", dir.path(), true));
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message.find("'quiet' has no playable audio files"), std::string::npos);
}

}  // namespace
}  // namespace haven::playlists
