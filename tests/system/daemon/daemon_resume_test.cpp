// Kill-and-resume drills (issue 4): SIGKILL the real daemon at different moments of a
// session, start it again on the same state directory, and check over MQTT and the journal
// report that the same session carries on where the wall clock says it should be.
#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <thread>

#include "room_under_test.hpp"

namespace haven::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

struct KillMoment {
    const char* name;
    double time_scale;
    // Brings a session (already started, in arrival) to the moment of the kill; returns the
    // last state seen before it.
    std::function<Json(RoomUnderTest&)> reach;
};

// Test names and failure messages show the case, not the struct's bytes.
void PrintTo(const KillMoment& c, std::ostream* out) {
    *out << c.name;
}

Json infusion_started_in(RoomUnderTest& room, const char* phase) {
    auto state = room.wait_state([&](const Json& s) {
        return session_field(s, "phase") == phase && session_field(s, "infusion") == "running";
    });
    if (!state) throw std::runtime_error(std::string("never reached ") + phase);
    return *state;
}

std::vector<KillMoment> kill_moments() {
    return {
        // The panel hears "ok" only once the command is on disk: kill the instant it does.
        {"RightAfterThePanelAcknowledgedInfusionStart", 60.0,
         [](RoomUnderTest& room) {
             auto reply = room.panel_post("/api/command/infusion_start");
             if (reply.status != 200)
                 throw std::runtime_error("panel refused infusion_start: " + reply.body);
             // The state may not show it yet; at the ack the room has just entered onset.
             Json at_ack = room.latest_state();
             at_ack["session"]["phase_index"] = 1;
             at_ack["session"]["phase_remaining_s"] = 600;
             return at_ack;
         }},
        // MQTT senders have no reply: the event is what they see. Kill the instant it comes.
        {"RightAfterTheMqttInfusionEvent", 60.0,
         [](RoomUnderTest& room) {
             room.command("infusion_start");
             if (!room.wait_event([](const Json& e) { return e["type"] == "infusion"; }))
                 throw std::runtime_error("no infusion event");
             Json at_event = room.latest_state();
             at_event["session"]["phase_index"] = 1;
             at_event["session"]["phase_remaining_s"] = 600;
             return at_event;
         }},
        // The onset scene fades over 3 engine minutes (3 s here): kill one second in.
        {"MidOnsetFade", 60.0,
         [](RoomUnderTest& room) {
             room.command("infusion_start");
             infusion_started_in(room, "onset");
             std::this_thread::sleep_for(milliseconds{1000});  // sets the moment; asserts nothing
             return room.latest_state();
         }},
        // Later in the session, with reminders due and no command for a while.
        {"InPeakWithRemindersPending", 300.0,
         [](RoomUnderTest& room) {
             room.command("infusion_start");
             auto state = room.wait_state(
                 [](const Json& s) {
                     return session_field(s, "phase") == "peak" &&
                            !s["session"]["reminders_pending"].empty();
                 },
                 milliseconds{10000});
             if (!state) throw std::runtime_error("never reached peak with a reminder pending");
             return *state;
         }},
    };
}

class DaemonKilled : public testing::TestWithParam<KillMoment> {};

TEST_P(DaemonKilled, ResumesTheSameSessionWhereTheClockSaysItIs) {
    const auto& moment = GetParam();
    RoomUnderTest room(moment.time_scale);
    room.start_daemon();
    const auto id = room.start_session();

    Json before;
    ASSERT_NO_THROW(before = moment.reach(room)) << room.daemon_log();
    // Stay down long enough that forgetting the downtime would show (90+ engine seconds).
    const auto restart = room.kill_and_restart(milliseconds{1500});
    // The broker tells everyone the room went away (last will).
    EXPECT_TRUE(restart.offline_seen) << room.daemon_log();
    ASSERT_TRUE(restart.resumed) << room.daemon_log();
    const auto& s = (*restart.resumed)["session"];
    EXPECT_EQ(s["id"], id);
    EXPECT_EQ(s["template"], "iv-ketamine");
    EXPECT_EQ(s["infusion"], "running") << s.dump();

    // The time Haven was down counts: the timeline moved on by at least the real time
    // between the kill and the restart, and not by more than the time until the state came.
    auto engine_s = [&](Clock::duration real) {
        return std::chrono::duration<double>(real).count() * moment.time_scale;
    };
    const double elapsed_before = before["session"].value("elapsed_s", 0.0);
    const double elapsed_after = s.value("elapsed_s", 0.0);
    const double slack = moment.time_scale * 1.5;  // the state is refreshed once a second
    // `before` may be up to a second old, so it can only under-state the time at the kill;
    // 2 s covers the whole-second rounding of elapsed_s.
    EXPECT_GE(elapsed_after,
              elapsed_before + engine_s(restart.restarted_at - restart.killed_at) - 2.0)
        << before.dump() << "\n"
        << s.dump();
    EXPECT_LE(elapsed_after,
              elapsed_before + engine_s(restart.resumed_at - restart.killed_at) + slack)
        << before.dump() << "\n"
        << s.dump();

    // Same phase, unless the phase's remaining time ran out while it was down.
    const int index_before = before["session"]["phase_index"];
    const int index_after = s["phase_index"];
    EXPECT_GE(index_after, index_before);
    if (before["session"]["phase_remaining_s"].is_number()) {
        const double remaining = before["session"]["phase_remaining_s"].get<double>() -
                                 engine_s(restart.resumed_at - restart.killed_at);
        if (remaining > slack) {
            EXPECT_EQ(index_after, index_before) << s.dump();
        }
    } else {
        EXPECT_EQ(index_after, index_before) << "an open-ended phase ended by itself";
    }

    // The journal says it was resumed, and replay did not duplicate what had happened.
    Json report;
    ASSERT_NO_THROW(report = room.report(id)) << room.daemon_log();
    int resumed = 0;
    for (const auto& entry : report["timeline"])
        if (entry["event"] == "resumed") ++resumed;
    EXPECT_EQ(resumed, 1) << report.dump(2);
    ASSERT_EQ(report["infusion"].size(), 1u) << report.dump(2);
    EXPECT_EQ(report["infusion"][0]["event"], "start");
    std::set<std::string> phases;
    for (const auto& phase : report["phases"])
        EXPECT_TRUE(phases.insert(phase["phase"].get<std::string>()).second)
            << "phase journaled twice: " << phase.dump() << "\n"
            << report.dump(2);

    // And the resumed room takes commands.
    room.command("infusion_stop");
    auto stopped =
        room.wait_state([](const Json& st) { return session_field(st, "infusion") == "stopped"; });
    EXPECT_TRUE(stopped) << room.daemon_log();
}

INSTANTIATE_TEST_SUITE_P(Moments, DaemonKilled, testing::ValuesIn(kill_moments()),
                         [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace haven::test
