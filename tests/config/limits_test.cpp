// Size limits on config files: a wrong or hostile file is refused at once, located, instead of
// taking gigabytes to check or publishing a megabyte room name every second (issue 21).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "loader.hpp"
#include "temp_dir.hpp"

namespace haven::config {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const fs::path broken_dir = fs::path{HAVEN_SOURCE_DIR} / "tests/config/broken";

const std::string header =
    "room: {id: cedar}\nmqtt: {}\n"
    "panel: {listen: \"127.0.0.1:9000\", therapist_pin_file: therapist.pin, "
    "tech_pin_file: tech.pin}\n"
    "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n";

std::vector<std::string> messages(const LoadResult& result) {
    std::vector<std::string> lines;
    for (const auto& d : result.diagnostics)
        lines.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
    return lines;
}

LoadResult load(const std::string& yaml) {
    return load_room_config_from_string(yaml, broken_dir / "inline.yaml");
}

TEST(ConfigLimits, AFileOverAMegabyteIsRefusedBeforeItIsParsed) {
    test::TempDir dir{"config-limits"};
    const auto file = dir.path() / "huge.yaml";
    {
        std::ofstream out{file};
        out << header << "# padding\n";
        const std::string line(1023, '#');
        for (int i = 0; i < 50 * 1024; ++i)
            out << line << '\n';  // 50 MiB of comments
    }
    const auto start = std::chrono::steady_clock::now();
    auto result = load_room_config(file);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(result.config);
    EXPECT_THAT(messages(result),
                ElementsAre("1:1: the file is 51201 KiB; a config file is at most 1024 KiB (is "
                            "this the right file?)"));
    // Not a timing target: only "it was not parsed" (yaml-cpp takes tens of seconds on this).
    EXPECT_LT(took, std::chrono::seconds{5});
}

TEST(ConfigLimits, TextOverAMegabyteIsRefusedWhenLoadedFromAString) {
    auto result = load(header + "# " + std::string(1024 * 1024, 'x') + "\n");
    EXPECT_FALSE(result.config);
    EXPECT_THAT(messages(result), ElementsAre("1:1: the text is 1025 KiB; a config file is at "
                                              "most 1024 KiB"));
}

TEST(ConfigLimits, AValueOverAKilobyteIsRefusedWhereItIs) {
    auto result = load(header + "cues: {debounce: " + std::string(2000, '9') + "}\n");
    EXPECT_FALSE(result.config);
    EXPECT_THAT(
        messages(result),
        ElementsAre("5:18: this value is 2000 bytes long; one value is at most 1024 bytes"));
}

TEST(ConfigLimits, ALongKeyIsRefusedToo) {
    // YAML allows long keys only in the explicit "? key" form.
    auto result = load(header + "? " + std::string(1500, 'k') + "\n: 1\n");
    EXPECT_THAT(messages(result),
                ElementsAre("5:3: this value is 1500 bytes long; one value is at most 1024 bytes"));
}

TEST(ConfigLimits, ARoomNameShownOnThePanelIsAtMost200Bytes) {
    auto yaml = header;
    yaml.replace(yaml.find("{id: cedar}"), 11, "{id: cedar, name: " + std::string(201, 'N') + "}");
    auto result = load(yaml);
    EXPECT_THAT(messages(result),
                ElementsAre("1:25: expected room name of at most 200 bytes, got 201"));
    yaml = header;
    yaml.replace(yaml.find("{id: cedar}"), 11, "{id: cedar, name: " + std::string(200, 'N') + "}");
    EXPECT_TRUE(load(yaml).config);
}

TEST(ConfigLimits, ATemplateNameIsAtMost200Bytes) {
    auto yaml = header;
    yaml.replace(yaml.find("name: T"), 7, "name: " + std::string(300, 'T'));
    EXPECT_THAT(messages(load(yaml)),
                ElementsAre("4:23: expected template name of at most 200 bytes, got 300"));
}

TEST(ConfigLimits, IdsAreAtMost64Characters) {
    const std::string long_id(65, 'a');
    auto result = load(header + "scenes: {" + long_id + ": {}}\n");
    ASSERT_FALSE(result.config);
    EXPECT_THAT(messages(result).front(), HasSubstr("(at most 64 of them), got 'aaaa"));
    auto room = header;
    room.replace(room.find("id: cedar"), 9, "id: " + long_id);
    EXPECT_THAT(messages(load(room)),
                ElementsAre("1:12: expected room id of at most 64 characters a-z, 0-9 and '-' "
                            "(it is part of MQTT topics), got '" +
                            long_id + "'"));
}

TEST(ConfigLimits, AnAliasBombIsStoppedNotExpanded) {
    // Ten levels of ten aliases: 10^10 values if walked naively.
    std::string bomb = "scenes:\n  x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n";
    for (int level = 1; level <= 10; ++level) {
        const auto prev = "*x" + std::to_string(level - 1);
        bomb += "  x" + std::to_string(level) + ": &x" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i)
            bomb += (i ? ", " : "") + prev;
        bomb += "]\n";
    }
    const auto start = std::chrono::steady_clock::now();
    auto result = load(header + bomb);
    EXPECT_FALSE(result.config);
    ASSERT_FALSE(result.diagnostics.empty());
    EXPECT_THAT(result.diagnostics.front().message,
                HasSubstr("expands to more than 100000 values"));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{10});
}

}  // namespace
}  // namespace haven::config
