// The kill-and-resume drill at moments nobody chose: a seeded random walk through one session
// (cues, marks, the infusion) with SIGKILLs at random times, some a few milliseconds after a
// command left, each followed by a restart on the same state directory. After every restart
// the same session must be back where the clock says, and the journal must hold each
// acknowledged input once and nothing twice.
//
// The seed is printed; HAVEN_DRILL_SEED=<n> replays a run.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "room_under_test.hpp"

namespace haven::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

unsigned drill_seed() {
    if (const char* given = std::getenv("HAVEN_DRILL_SEED")) return std::stoul(given);
    return std::random_device{}();
}

double engine_s(Clock::duration real, double scale) {
    return std::chrono::duration<double>(real).count() * scale;
}

TEST(DaemonRandomKill, SeededRandomKillsThroughASessionResumeItIntact) {
    const unsigned seed = drill_seed();
    std::cout << "[ seed     ] HAVEN_DRILL_SEED=" << seed << std::endl;
    RecordProperty("seed", static_cast<int>(seed & 0x7fffffff));
    SCOPED_TRACE("HAVEN_DRILL_SEED=" + std::to_string(seed));
    std::mt19937 random(seed);
    auto uniform_ms = [&](int low, int high) {
        return milliseconds{std::uniform_int_distribution<int>(low, high)(random)};
    };

    constexpr double kScale = 120.0;  // onset's 10 m pass in 5 s: kills land in several phases
    constexpr int kKills = 5;
    RoomUnderTest room(kScale);
    room.start_daemon();
    const auto id = room.start_session();

    std::set<std::string> marks_sent;
    std::set<std::string> marks_acknowledged;  // their event came: durable before the kill
    bool infusion_started = false;
    int mark_number = 0;
    for (int kill = 1; kill <= kKills; ++kill) {
        SCOPED_TRACE("kill " + std::to_string(kill));
        // A random stretch of ordinary session life before the kill.
        const auto alive_until = Clock::now() + uniform_ms(300, 2500);
        while (Clock::now() < alive_until) {
            switch (std::uniform_int_distribution<int>(0, 3)(random)) {
                case 0: {
                    const std::string text = "drill-note-" + std::to_string(++mark_number);
                    marks_sent.insert(text);
                    room.command("mark", text);
                    if (room.wait_event([&](const Json& e) { return e["type"] == "mark"; }, 3000ms))
                        marks_acknowledged.insert(text);
                    break;
                }
                case 1:
                    room.command(std::uniform_int_distribution<int>(0, 1)(random) ? "lights_up"
                                                                                  : "lights_down");
                    break;
                case 2:
                    if (!infusion_started) {
                        room.command("infusion_start");
                        infusion_started =
                            room.wait_event([](const Json& e) { return e["type"] == "infusion"; },
                                            3000ms)
                                .has_value();
                    }
                    break;
                default:
                    std::this_thread::sleep_for(uniform_ms(50, 400));
            }
        }
        // Half the kills come a few milliseconds after a command left, before it can be
        // known whether it reached the disk.
        if (std::uniform_int_distribution<int>(0, 1)(random)) {
            const std::string text = "drill-note-" + std::to_string(++mark_number);
            marks_sent.insert(text);
            room.command("mark", text);
            std::this_thread::sleep_for(uniform_ms(0, 20));
        }
        room.skip_to_now();
        auto before = room.latest_state();
        const auto restart = room.kill_and_restart(uniform_ms(200, 1200));
        ASSERT_TRUE(restart.offline_seen) << room.daemon_log();
        ASSERT_TRUE(restart.resumed) << room.daemon_log();
        const auto& s = (*restart.resumed)["session"];
        ASSERT_EQ(s["id"], id) << s.dump();
        ASSERT_TRUE(has_session(before)) << before.dump();
        const auto& b = before["session"];

        // The timeline went on through the downtime, by no more than the real time passed.
        // `before` may be up to a second old (state is refreshed once a second).
        const double elapsed_before = b.value("elapsed_s", 0.0);
        const double elapsed_after = s.value("elapsed_s", 0.0);
        EXPECT_GE(elapsed_after,
                  elapsed_before + engine_s(restart.restarted_at - restart.killed_at, kScale) - 2.0)
            << b.dump() << "\n"
            << s.dump();
        EXPECT_LE(elapsed_after, elapsed_before +
                                     engine_s(restart.resumed_at - restart.killed_at, kScale) +
                                     1.5 * kScale)
            << b.dump() << "\n"
            << s.dump();
        EXPECT_GE(s["phase_index"].get<int>(), b["phase_index"].get<int>()) << s.dump();
        if (infusion_started) {
            EXPECT_EQ(s["infusion"], "running") << s.dump();
        }

        // A mark in flight at the kill may be redelivered to the new daemon now, and mark
        // events carry no text: its event must not be taken for the next mark's. The broker
        // delivers in order, so once a later probe is answered, everything older has been.
        const std::string probe = "drill-sync-" + std::to_string(kill);
        room.command(probe);
        ASSERT_TRUE(room.wait_event([&](const Json& e) {
            return e["type"] == "command_rejected" && e["command"] == probe;
        })) << room.daemon_log();
        room.skip_to_now();
    }

    // The room still takes commands.
    room.command("mark", "drill-done");
    EXPECT_TRUE(room.wait_event([](const Json& e) { return e["type"] == "mark"; }))
        << room.daemon_log();
    marks_sent.insert("drill-done");
    marks_acknowledged.insert("drill-done");

    // The journal, read once the daemon (which holds it) has stopped: every acknowledged mark
    // once, nothing that was not sent, no input or record twice, one `resumed` per kill, one
    // infusion start, no phase entered twice.
    room.daemon().signal(SIGTERM);
    ASSERT_EQ(room.daemon().wait_exit(std::chrono::milliseconds{10000}), 0) << room.daemon_log();
    Json report;
    ASSERT_NO_THROW(report = room.report(id)) << room.daemon_log();
    std::multiset<std::string> marks;
    for (const auto& mark : report["marks"])
        marks.insert(mark["text"].get<std::string>());
    for (const auto& text : marks_acknowledged)
        EXPECT_EQ(marks.count(text), 1u) << text << " was acknowledged, then lost or doubled";
    for (const auto& text : marks)
        EXPECT_TRUE(marks_sent.contains(text)) << text << " was never sent";
    std::set<std::string> unique_marks(marks.begin(), marks.end());
    EXPECT_EQ(unique_marks.size(), marks.size()) << "a mark journaled twice";

    int resumed = 0;
    for (const auto& entry : report["timeline"])
        if (entry["event"] == "resumed") ++resumed;
    EXPECT_EQ(resumed, kKills) << report.dump(2);
    EXPECT_EQ(report["infusion"].size(), infusion_started ? 1u : 0u) << report.dump(2);
    std::set<std::string> phases;
    for (const auto& phase : report["phases"])
        EXPECT_TRUE(phases.insert(phase["phase"].get<std::string>()).second)
            << "phase journaled twice: " << phase.dump();

    std::set<long long> sequence;
    for (const auto& row : room.journal_rows(id))
        EXPECT_TRUE(sequence.insert(row["seq"].get<long long>()).second) << row.dump();
}

}  // namespace
}  // namespace haven::test
