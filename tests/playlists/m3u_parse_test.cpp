// parse_m3u on in-memory text against a temporary folder of empty "audio" files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "playlist.hpp"
#include "temp_dir.hpp"

namespace haven::playlists {
namespace {
namespace fs = std::filesystem;

class M3uParse : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(root_ / "music" / "sub");
        for (const char* name : {"music/a.ogg", "music/b.flac", "music/sub/c.wav"}) {
            std::ofstream(root_ / name) << "x";
        }
    }

    Playlist parse(const std::string& text) {
        std::istringstream in(text);
        return parse_m3u(in, root_ / "music" / "list.m3u");
    }

    haven::test::TempDir root_dir_{"m3u"};
    fs::path root_ = root_dir_.path();
};

struct ParseCase {
    const char* name;
    const char* text;
    std::vector<std::string> titles;
    std::vector<std::string> files;  // relative to root_/music
    std::vector<int> problem_lines;
};

TEST_F(M3uParse, Table) {
    const std::vector<ParseCase> cases = {
        {"plain relative paths", "a.ogg\nb.flac\n", {"a", "b"}, {"a.ogg", "b.flac"}, {}},
        {"comments and blank lines skipped",
         "#EXTM3U\n\n# a comment\na.ogg\n   \n",
         {"a"},
         {"a.ogg"},
         {}},
        {"EXTINF title applies to the next entry only",
         "#EXTM3U\n#EXTINF:123,Artist - Song\na.ogg\nb.flac\n",
         {"Artist - Song", "b"},
         {"a.ogg", "b.flac"},
         {}},
        {"subfolder and parent-relative paths",
         "sub/c.wav\n../music/a.ogg\n",
         {"c", "a"},
         {"sub/c.wav", "a.ogg"},
         {}},
        {"missing file reported with its line",
         "#EXTM3U\na.ogg\nnope.ogg\nb.flac\n",
         {"a", "b"},
         {"a.ogg", "b.flac"},
         {3}},
        {"urls refused with their line",
         "http://radio.example/stream\na.ogg\n",
         {"a"},
         {"a.ogg"},
         {1}},
        {"windows line endings and BOM",
         "\xEF\xBB\xBF#EXTM3U\r\n#EXTINF:-1,Song\r\na.ogg\r\n",
         {"Song"},
         {"a.ogg"},
         {}},
        {"empty file", "", {}, {}, {}},
    };
    for (const ParseCase& c : cases) {
        SCOPED_TRACE(c.name);
        const Playlist playlist = parse(c.text);
        std::vector<std::string> titles, files;
        for (const Track& t : playlist.tracks) {
            titles.push_back(t.title);
            files.push_back(t.file.lexically_relative(root_ / "music").generic_string());
        }
        EXPECT_EQ(titles, c.titles);
        EXPECT_EQ(files, c.files);
        std::vector<int> lines;
        for (const auto& p : playlist.problems) {
            lines.push_back(p.line);
            EXPECT_EQ(p.file, (root_ / "music" / "list.m3u").string());
        }
        EXPECT_EQ(lines, c.problem_lines);
    }
}

TEST_F(M3uParse, AbsolutePathsAreKept) {
    const Playlist playlist = parse((root_ / "music" / "b.flac").string() + "\n");
    ASSERT_EQ(playlist.tracks.size(), 1u);
    EXPECT_EQ(playlist.tracks[0].file, root_ / "music" / "b.flac");
}

TEST_F(M3uParse, MissingFileMessageNamesTheFile) {
    const Playlist playlist = parse("a.ogg\ngone.ogg\n");
    ASSERT_EQ(playlist.problems.size(), 1u);
    EXPECT_NE(playlist.problems[0].to_string().find("list.m3u:2:1: error: file not found"),
              std::string::npos)
        << playlist.problems[0].to_string();
    EXPECT_NE(playlist.problems[0].message.find("gone.ogg"), std::string::npos);
}

}  // namespace
}  // namespace haven::playlists
