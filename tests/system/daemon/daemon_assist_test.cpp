// Assist in two levels through the real binary and broker, checked where the patient feels
// it: the commands the ceiling light (Zigbee2MQTT) receives. Calm comes up gently over its
// 5 s fade; emergency reaches full light within its 1 s fade; neither is cleared by a
// second tap, and clearing brings the session's music back.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "room_under_test.hpp"

namespace haven::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kCeiling = "zigbee2mqtt/cedar/ceiling/set";
constexpr int kFullBrightness = 254;  // Zigbee2MQTT's scale
constexpr int kMired2700 = 370;       // demo.yaml's calm scene: warm
constexpr int kMired4000 = 250;       // demo.yaml's full scene

struct LightCommand {
    Json body;
    std::chrono::milliseconds after;  // since the cue was sent
};

// Every command the ceiling gets for `span` after `sent`.
std::vector<LightCommand> ceiling_commands(RoomUnderTest& room, Clock::time_point sent,
                                           std::chrono::milliseconds span) {
    std::vector<LightCommand> seen;
    while (Clock::now() < sent + span) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(sent + span - Clock::now());
        auto body = room.wait_json(
            kCeiling, [](const Json&) { return true; }, left);
        if (!body) break;
        seen.push_back(
            {*body, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent)});
    }
    return seen;
}

int brightness(const Json& body) {
    return body.value("brightness", 0);
}

std::string assist_level(const Json& state) {
    return session_field(state, "assist_level");
}

double music_volume(const Json& state) {
    return has_session(state) ? state["session"]["music"].value("volume", -1.0) : -1.0;
}

TEST(DaemonAssist, CalmComesUpGentlyAndEmergencyBringsFullLightWithinASecond) {
    RoomOptions options;
    options.time_scale = 1.0;  // the daemon scales fades with the clock: these must be real
    options.watch = {kCeiling};
    RoomUnderTest room(options);
    room.start_daemon();
    room.start_session();
    std::this_thread::sleep_for(1500ms);  // welcome's 2-minute fade is under way, still dim
    room.skip_to_now();

    // Calm, from the therapist button's long press (demo.yaml maps hold to assist).
    const auto held = Clock::now();
    room.publish("zigbee2mqtt/cedar/therapist-button", R"({"action":"hold"})");
    auto calm = ceiling_commands(room, held, 7s);
    ASSERT_FALSE(calm.empty()) << room.daemon_log();
    const int calm_level = brightness(calm.back().body);
    EXPECT_EQ(calm.back().body.value("color_temp", 0), kMired2700) << calm.back().body;
    EXPECT_LT(calm_level, kFullBrightness) << "calm is a warm level, not full light";
    EXPECT_LT(brightness(calm.front().body), calm_level)
        << "calm must fade up, not jump: " << calm.front().body;
    // The level is reached at the end of the 5 s fade, not in the first second.
    const auto reached = std::find_if(calm.begin(), calm.end(), [&](const LightCommand& c) {
        return brightness(c.body) == calm_level;
    });
    EXPECT_GE(reached->after, 3s) << "calm reached its level " << reached->after.count() << " ms "
                                  << "after the press";
    ASSERT_TRUE(room.wait_state([](const Json& s) { return assist_level(s) == "calm"; }))
        << room.daemon_log();

    // A second press of the same button does not clear it (past the 1 s debounce).
    room.publish("zigbee2mqtt/cedar/therapist-button", R"({"action":"hold"})");
    ASSERT_TRUE(room.wait_event([](const Json& e) {
        return e.value("type", "") == "command_rejected" && e.value("command", "") == "assist";
    })) << "a second assist must be refused, not toggle";
    EXPECT_EQ(assist_level(room.latest_state()), "calm");

    // Emergency over MQTT: full light within its 1 s fade.
    room.skip_to_now();
    const auto sent = Clock::now();
    room.command("emergency");
    auto full = room.wait_json(
        kCeiling, [](const Json& b) { return brightness(b) == kFullBrightness; }, 5000ms);
    const auto lit = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent);
    ASSERT_TRUE(full) << "emergency never reached full light\n" << room.daemon_log();
    EXPECT_EQ(full->value("color_temp", 0), kMired4000);
    RecordProperty("emergency_full_light_ms", static_cast<int>(lit.count()));
    // The requirement is 1 s; the bound leaves 1.5 s for a loaded two-core test machine and
    // still fails a calm-speed (5 s) fade.
    EXPECT_LE(lit, 2500ms) << "emergency took " << lit.count() << " ms to full light";
    auto emergency = room.wait_state(
        [](const Json& s) { return assist_level(s) == "emergency" && music_volume(s) == 0; });
    ASSERT_TRUE(emergency) << "emergency must fade the music to 0\n" << room.daemon_log();

    // Clearing brings back the phase's music (arrival: 30), not silence.
    room.command("assist_clear");
    auto cleared = room.wait_state([](const Json& s) {
        return has_session(s) && assist_level(s) == "none" && !s["session"]["assist"].get<bool>();
    });
    ASSERT_TRUE(cleared) << room.daemon_log();
    EXPECT_EQ(music_volume(*cleared), 30);
}

}  // namespace
}  // namespace haven::test
