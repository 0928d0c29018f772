// SIGHUP mid-session: a broken config is refused and the session carries on untouched; a
// valid changed one is taken.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <ostream>

#include "room_under_test.hpp"

namespace haven::test {
namespace {

struct BrokenConfig {
    const char* name;
    std::function<std::string(std::string)> break_it;
};

// Test names and failure messages show the case, not the struct's bytes.
void PrintTo(const BrokenConfig& c, std::ostream* out) {
    *out << c.name;
}

std::vector<BrokenConfig> broken_configs() {
    return {
        {"YamlSyntaxError", [](std::string) { return std::string("room: {id: cedar, name: [\n"); }},
        {"SceneNamesAnUnknownLight",
         [](std::string yaml) {
             yaml.replace(yaml.find("lamp: 50"), 8, "chandelier: 50");
             return yaml;
         }},
        {"Empty", [](std::string) { return std::string(); }},
    };
}

void write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream{file, std::ios::trunc} << text;
}

class DaemonReload : public testing::TestWithParam<BrokenConfig> {};

TEST_P(DaemonReload, RefusesABrokenConfigMidSessionThenTakesAValidOne) {
    RoomUnderTest room(20.0);  // onset lasts 30 s: the whole drill happens inside it
    room.start_daemon();
    const auto id = room.start_session();
    room.command("infusion_start");
    ASSERT_TRUE(room.wait_state([](const Json& s) { return session_field(s, "phase") == "onset"; }))
        << room.daemon_log();

    const auto good = demo_room_yaml(room.broker().port(), room.panel_port());
    write(room.config_file(), GetParam().break_it(good));
    room.skip_to_now();
    room.daemon().signal(SIGHUP);
    auto refused =
        room.wait_event([](const Json& e) { return e["type"] == "config_reload_refused"; });
    ASSERT_TRUE(refused) << room.daemon_log();
    EXPECT_GE(refused->value("problems", 0), 1);

    // Still running, same session, same phase, same room.
    room.command("volume", "41");
    auto state = room.wait_state(
        [](const Json& s) { return has_session(s) && s["session"]["music"]["volume"] == 41; });
    ASSERT_TRUE(state) << room.daemon_log();
    EXPECT_TRUE(room.daemon().running());
    EXPECT_EQ(session_field(*state, "id"), id);
    EXPECT_EQ(session_field(*state, "phase"), "onset");
    EXPECT_EQ(session_field(*state, "infusion"), "running");
    EXPECT_EQ((*state)["room"]["name"], "Cedar Room");

    // A valid change is taken (the room's name shows at once; the session keeps its timeline).
    auto renamed = good;
    renamed.replace(renamed.find("name: Cedar Room"), 16, "name: Cedar Suite");
    write(room.config_file(), renamed);
    room.daemon().signal(SIGHUP);
    ASSERT_TRUE(room.wait_event([](const Json& e) { return e["type"] == "config_reloaded"; }))
        << room.daemon_log();
    auto after = room.wait_state([](const Json& s) { return s["room"]["name"] == "Cedar Suite"; });
    ASSERT_TRUE(after) << room.daemon_log();
    EXPECT_EQ(session_field(*after, "id"), id);
    EXPECT_EQ(session_field(*after, "phase"), "onset");
    EXPECT_TRUE(room.daemon().running());
}

INSTANTIATE_TEST_SUITE_P(Broken, DaemonReload, testing::ValuesIn(broken_configs()),
                         [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace haven::test
