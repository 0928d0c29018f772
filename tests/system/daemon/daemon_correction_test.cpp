// A mis-tapped "infusion started", corrected over MQTT as automation or a nurse station
// would: relative ("-9m") and absolute (ISO time), through the real binary and broker. The
// anchor moves, the timeline follows, a bad correction changes nothing, and the chart keeps
// both times.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "room_under_test.hpp"

namespace haven::test {
namespace {

using namespace std::chrono_literals;

std::string iso_utc(std::chrono::system_clock::time_point at) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

long infusion_elapsed_s(const Json& state) {
    if (!has_session(state)) return -1;
    const auto& value = state["session"]["infusion_elapsed_s"];
    return value.is_number() ? value.get<long>() : -1;
}

bool corrected(const Json& event) {
    return event.value("type", "") == "infusion_corrected";
}

TEST(DaemonCorrection, MovesTheInfusionStartAndTheTimelineFollows) {
    RoomUnderTest room(60.0);  // a session minute is a real second
    room.start_daemon();
    const auto id = room.start_session("iv-ketamine");
    // Arrival waits for the tap; let 12 session minutes pass so a correction fits inside.
    ASSERT_TRUE(room.wait_state(
        [](const Json& s) {
            return has_session(s) && s["session"].value("elapsed_s", 0) >= 12 * 60;
        },
        20s))
        << room.daemon_log();
    room.command("infusion_start");
    ASSERT_TRUE(room.wait_state([](const Json& s) { return session_field(s, "phase") == "onset"; }))
        << room.daemon_log();

    // Tapped 9 minutes late. Onset lasts 10 m from the real start, so it ends a session
    // minute later instead of 9, and the infusion clock jumps by the difference.
    room.command("correct", R"({"event":"infusion_start","at":"-9m"})");
    auto event = room.wait_event(corrected);
    ASSERT_TRUE(event) << room.daemon_log();
    EXPECT_EQ((*event)["event"], "infusion_start");
    EXPECT_EQ((*event)["source"], "mqtt");
    EXPECT_EQ((*event)["corrected_ms_ago"], 9 * 60 * 1000);
    EXPECT_LT((*event)["was_ms_ago"].get<long>(), 9 * 60 * 1000);
    auto peak = room.wait_state([](const Json& s) { return session_field(s, "phase") == "peak"; },
                                5s);  // generous: at 60x the phase end is a second away
    ASSERT_TRUE(peak) << room.daemon_log();
    EXPECT_GE(infusion_elapsed_s(*peak), 9 * 60);

    // Before the session began: refused with the reason, and nothing moves.
    room.skip_to_now();
    room.command("correct", R"({"event":"infusion_start","at":"-11h"})");
    auto refused = room.wait_event([](const Json& e) {
        return e.value("type", "") == "command_rejected" && e.value("command", "") == "correct";
    });
    ASSERT_TRUE(refused) << room.daemon_log();
    EXPECT_EQ((*refused)["reason"], "the corrected infusion start is before the session started");

    // Absolute: 5 real seconds ago is 5 session minutes ago at 60x (a rehearsal's wall
    // time maps onto its sped-up timeline the same way its fades do).
    room.skip_to_now();
    room.command("correct", R"({"event":"infusion_start","at":")" +
                                iso_utc(std::chrono::system_clock::now() - 5s) + "\"}");
    event = room.wait_event(corrected);
    ASSERT_TRUE(event) << room.daemon_log();
    // At least the 5 s; ISO whole seconds add up to 1 s and the trip through the broker the
    // rest of a generous 9 s bound.
    EXPECT_GE((*event)["corrected_ms_ago"].get<long>(), 5 * 60 * 1000);
    EXPECT_LE((*event)["corrected_ms_ago"].get<long>(), 9 * 60 * 1000);
    auto moved = room.wait_state([](const Json& s) {
        const auto elapsed = infusion_elapsed_s(s);
        return elapsed >= 5 * 60 && elapsed < 9 * 60;
    });
    EXPECT_TRUE(moved) << room.latest_state().dump(2);

    // The chart: the start is the corrected one, and both corrections are noted.
    const auto report = room.report(id);
    std::size_t notes = 0;
    for (const auto& note : report["notes"])
        if (note.get<std::string>().find("infusion start corrected from") != std::string::npos)
            ++notes;
    EXPECT_EQ(notes, 2u) << report.dump(2);
    ASSERT_FALSE(report["infusion"].empty()) << report.dump(2);
    EXPECT_EQ(report["infusion"][0]["event"], "start");
}

}  // namespace
}  // namespace haven::test
