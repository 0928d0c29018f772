// The loader against files: every shipped room must pass, and a corpus of broken rooms must
// produce exactly the diagnostics written at the end of each file as `# expect:` lines.
#include "loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace haven::config {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

const fs::path source_dir{HAVEN_SOURCE_DIR};
const fs::path broken_dir = source_dir / "tests/config/broken";

std::vector<fs::path> yaml_files(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".yaml" &&
            !entry.path().filename().string().starts_with("."))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> rendered(const LoadResult& result, const fs::path& file) {
    std::vector<std::string> lines;
    for (const auto& d : result.diagnostics) {
        std::string line = d.to_string();
        if (line.starts_with(file.string() + ":")) line.erase(0, file.string().size() + 1);
        for (auto pos = line.find(file.parent_path().string()); pos != std::string::npos;
             pos = line.find(file.parent_path().string()))
            line.replace(pos, file.parent_path().string().size(), "<dir>");
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::string> expected_in(const fs::path& file) {
    std::ifstream in{file};
    std::vector<std::string> lines;
    const std::string marker = "# expect: ";
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(marker)) lines.push_back(line.substr(marker.size()));
    return lines;
}

TEST(ShippedConfigs, EveryRoomFilePassesCheck) {
    auto files = yaml_files(source_dir / "config/rooms");
    ASSERT_GE(files.size(), 6U) << "demo.yaml and one example per light driver";
    for (const auto& file : files) {
        auto result = load_room_config(file);
        EXPECT_THAT(rendered(result, file), IsEmpty()) << file;
        EXPECT_TRUE(result.config.has_value()) << file;
    }
}

TEST(ShippedConfigs, DefaultTemplatesCoverEveryRoute) {
    auto result = load_room_config(source_dir / "config/rooms/demo.yaml");
    ASSERT_TRUE(result.config);
    for (const char* id : {"iv-ketamine", "im-ketamine", "sublingual-ketamine", "esketamine-nasal"})
        EXPECT_NE(result.config->find_template(id), nullptr) << id;
    // Spravato's REMS rule: no "session complete" before 2 hours of observation.
    EXPECT_EQ(result.config->find_template("esketamine-nasal")->min_observation, Millis{7'200'000});
}

TEST(ShippedConfigs, EveryLightDriverHasAnExampleRoom) {
    for (const char* driver :
         {"zigbee2mqtt", "tasmota", "shelly-gen2", "wled", "ha-json", "esphome", "shelly-gen1"}) {
        auto result = load_room_config(source_dir / "config/rooms" /
                                       ("example-" + std::string{driver} + ".yaml"));
        ASSERT_TRUE(result.config) << driver;
        for (const auto& [id, light] : result.config->lights)
            EXPECT_EQ(light.driver, driver);
    }
}

TEST(ShippedConfigs, TasmotaExampleActionsAreFoldedToLowerCase) {
    // The example maps SINGLE/DOUBLE/HOLD as Tasmota spells them; the router matches any case.
    auto result = load_room_config(source_dir / "config/rooms/example-tasmota.yaml");
    ASSERT_TRUE(result.config);
    const auto& actions = result.config->buttons.at("therapist").actions;
    EXPECT_TRUE(actions.contains("single"));
    EXPECT_TRUE(actions.contains("hold"));
    EXPECT_FALSE(actions.contains("SINGLE"));
}

class BrokenConfig : public ::testing::TestWithParam<fs::path> {};

TEST_P(BrokenConfig, ReportsExactlyTheExpectedDiagnostics) {
    const fs::path& file = GetParam();
    auto expected = expected_in(file);
    auto result = load_room_config(file);
    EXPECT_THAT(rendered(result, file), ElementsAreArray(expected));
    EXPECT_EQ(result.config.has_value(), expected.empty());
}

INSTANTIATE_TEST_SUITE_P(Corpus, BrokenConfig, ::testing::ValuesIn(yaml_files(broken_dir)),
                         [](const auto& test) {
                             std::string name = test.param.stem().string();
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(LoadRoomConfig, MissingFileIsUnreadableNotInvalid) {
    auto result = load_room_config(broken_dir / "no-such-room.yaml");
    EXPECT_TRUE(result.unreadable);
    EXPECT_FALSE(result.config);
    ASSERT_EQ(result.diagnostics.size(), 1U);
}

TEST(LoadRoomConfig, FillsDefaultsAndResolvesPathsAgainstTheFile) {
    auto result = load_room_config(broken_dir / "valid-minimal.yaml");
    ASSERT_TRUE(result.config);
    const auto& room = *result.config;
    EXPECT_EQ(room.mqtt.client_id, "haven-cedar");
    EXPECT_EQ(room.mqtt.topic_prefix, "haven");
    EXPECT_EQ(room.panel.port, 8080);
    EXPECT_EQ(room.panel.therapist_pin_file, broken_dir / "therapist.pin");
    EXPECT_TRUE(room.playlists.at("deep").is_folder);
    EXPECT_EQ(room.cues.debounce, Millis{1000});
    const auto& phases = room.find_template("iv")->phases;
    ASSERT_EQ(phases.size(), 2U);
    EXPECT_EQ(phases[0].until, (AnchorPoint{Anchor::infusion_start, Millis{0}}));
    EXPECT_EQ(phases[1].duration, Millis{600'000});
}

TEST(LoadRoomConfig, AssistHasTwoLevelsAndAnOlderRoomFileKeepsOneSceneForBoth) {
    const std::string head =
        "room: {id: cedar}\nmqtt: {}\n"
        "panel: {listen: \"[::1]:9000\", therapist_pin_file: therapist.pin, "
        "tech_pin_file: tech.pin}\nlights: {l: {driver: wled, topic: w}}\n"
        "scenes: {calm: {l: 50}, full: {l: 100}}\n"
        "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n";
    auto older =
        load_room_config_from_string(head + "assist: {scene: calm}\n", broken_dir / "inline.yaml");
    ASSERT_TRUE(older.config);
    EXPECT_EQ(older.config->assist.fade, Millis{5000});
    EXPECT_EQ(older.config->assist.emergency.scene, "calm");
    EXPECT_EQ(older.config->assist.emergency.fade, Millis{1000});
    EXPECT_EQ(older.config->assist.emergency.music_fade, Millis{2000});

    auto both = load_room_config_from_string(
        head +
            "assist: {scene: calm, fade: 6s, duck_music_to: 20,\n"
            "  emergency: {scene: full, fade: 500ms, music_fade: 3s}}\n",
        broken_dir / "inline.yaml");
    ASSERT_TRUE(both.config);
    const auto& a = both.config->assist;
    EXPECT_EQ(a.scene, "calm");
    EXPECT_EQ(a.fade, Millis{6000});
    EXPECT_EQ(a.duck_music_to, 20);
    EXPECT_EQ(a.emergency.scene, "full");
    EXPECT_EQ(a.emergency.fade, Millis{500});
    EXPECT_EQ(a.emergency.music_fade, Millis{3000});
}

struct FromStringCase {
    const char* name;
    const char* yaml;
    std::vector<std::string> expected;  // LINE:COL: error: MESSAGE
};

class FromString : public ::testing::TestWithParam<FromStringCase> {};

TEST_P(FromString, Diagnoses) {
    const auto& c = GetParam();
    const fs::path file = broken_dir / "inline.yaml";
    std::string yaml =
        std::string{
            "room: {id: cedar}\nmqtt: {}\n"
            "panel: {listen: \"[::1]:9000\", therapist_pin_file: therapist.pin, "
            "tech_pin_file: tech.pin}\n"} +
        c.yaml;
    auto result = load_room_config_from_string(yaml, file);
    EXPECT_THAT(rendered(result, file), ElementsAreArray(c.expected)) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FromString,
    ::testing::Values(
        FromStringCase{"anchor_with_offset",
                       "templates: {t: {name: T, phases: [{id: a, until: infusion_stop+30m}]}}\n",
                       {}},
        FromStringCase{
            "anchor_bad_offset",
            "templates: {t: {name: T, phases: [{id: a, until: infusion_stop + soon}]}}\n",
            {"4:50: error: expected until as infusion_start or infusion_stop, optionally + "
             "a duration (infusion_stop + 30m), got 'infusion_stop + soon'"}},
        FromStringCase{
            "no_templates",
            "",
            {"1:1: error: the room has no session templates (add templates: or template_files:)"}},
        FromStringCase{"empty_phases",
                       "templates: {t: {name: T, phases: []}}\n",
                       {"4:34: error: expected phases as a list of at least one phase"}},
        FromStringCase{
            "lights_without_assist",
            "lights: {l: {driver: wled, topic: w}}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"1:1: error: the room file needs 'assist: {scene: ...}': the scene a therapist "
             "gets with one tap when a patient needs help"}},
        FromStringCase{
            "topic_prefix_wildcard",
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n"
            "mqtt_extra: 1\n",
            {"5:1: error: unknown key 'mqtt_extra' in the room file (expected one of: room mqtt "
             "panel audio playlists lights buttons scenes assist cues fades journal "
             "template_files templates)"}},
        FromStringCase{
            "light_driver_and_key_misspelt",
            "lights: {l: {driver: wlde, topic: w, colour_temp: true}}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"1:1: error: the room file needs 'assist: {scene: ...}': the scene a therapist "
             "gets with one tap when a patient needs help",
             "4:22: error: unknown light driver 'wlde' (expected one of: zigbee2mqtt tasmota "
             "shelly-gen2 wled ha-json esphome shelly-gen1)",
             "4:38: error: unknown key 'colour_temp' in light 'l' (did you mean 'color_temp'?)"}},
        FromStringCase{
            "button_driver_and_key_misspelt",
            "buttons: {b: {driver: zigbee, topic: z, action: {single: next}}}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"4:14: error: button 'b' needs 'actions'",
             "4:23: error: unknown button driver 'zigbee' (did you mean 'zigbee2mqtt'?)",
             "4:41: error: unknown key 'action' in button 'b' (did you mean 'actions'?)"}},
        FromStringCase{
            "light_curve",
            "lights: {l: {driver: tasmota, topic: t, curve: gamma}, m: {driver: wled, topic: w, "
            "curve: linear}}\nassist: {scene: s}\nscenes: {s: {l: 50}}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"4:48: error: expected curve as lightness (Haven evens fades out in CIE L*) or "
             "linear (the device already does), got 'gamma'"}},
        FromStringCase{
            "white_range",
            "lights: {a: {driver: wled, topic: a, color_temp: true, white_range: [2700K, 6500K]},"
            " b: {driver: wled, topic: b, white_range: [6500, 2700]},"
            " c: {driver: tasmota, topic: c, white_range: [2700, 6500]}}\n"
            "assist: {scene: s}\nscenes: {s: {a: 50}}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"4:127: error: expected white_range as [warm, cold] with warm below cold, got "
             "[6500K, 2700K]",
             "4:173: error: unknown key 'white_range' in light 'c' (expected one of: driver "
             "topic color_temp min_level curve)"}},
        FromStringCase{
            "action_twice_in_two_cases",
            "buttons: {b: {driver: generic, topic: z, actions: {single: next, SINGLE: assist}}}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"4:66: error: button action 'SINGLE' given twice (action names ignore case)"}},
        FromStringCase{
            "emergency_fade_slower_than_a_second",
            "lights: {l: {driver: wled, topic: w}}\nscenes: {s: {l: 50}, f: {l: 100}}\n"
            "assist: {scene: s, emergency: {scene: f, fade: 3s}}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"6:48: error: the emergency fade must be at most 1s: it is the level that brings "
             "full light at once (the calm level's fade is assist: fade:)"}},
        FromStringCase{
            "emergency_scene_and_key_misspelt",
            "lights: {l: {driver: wled, topic: w}}\nscenes: {s: {l: 50}, full: {l: 100}}\n"
            "assist: {scene: s, emergency: {scene: ful, music: 2s}}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"6:39: error: unknown scene 'ful' (did you mean 'full'?)",
             "6:44: error: unknown key 'music' in emergency (did you mean 'music_fade'?)"}},
        FromStringCase{
            "debounce_too_long",
            "cues: {debounce: 1m}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n",
            {"4:18: error: expected debounce of at most 10s (longer swallows real cues)"}}),
    [](const auto& test) { return std::string{test.param.name}; });

}  // namespace
}  // namespace haven::config
