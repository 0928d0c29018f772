// The wall clock jumps forwards and backwards mid-session (an NTP step, a bad RTC, someone
// setting the date): the timeline runs on the steady clock and must not notice. The daemon
// runs under libfaketime with the monotonic clock left alone; the test rewrites the fake
// offset at run time (+2 h, then -1 h) and checks phase timing, remaining times, reminders
// and the journal's order against its own steady clock.
#include <gtest/gtest.h>
#include <time.h>

#include <array>
#include <cmath>
#include <csignal>
#include <fstream>
#include <thread>

#include "room_under_test.hpp"
#include "temp_dir.hpp"

namespace haven::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// The multi-threaded variant: the daemon has a control thread, a journal writer and audio.
std::string faketime_library() {
    for (const char* path : {"/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
                             "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
                             "/usr/lib/faketime/libfaketimeMT.so.1"})
        if (std::filesystem::exists(path)) return path;
    return "";
}

// The fake wall clock's offset, re-read on every clock call (FAKETIME_NO_CACHE=1).
class FakeOffset {
  public:
    FakeOffset() { set("+0"); }
    void set(const std::string& offset) {
        // Written aside and renamed: the daemon must never read a half-written file.
        const auto next = file_.string() + ".next";
        std::ofstream{next} << offset << "\n";
        std::filesystem::rename(next, file_);
    }
    std::vector<std::string> env(const std::string& library) const {
        return {"LD_PRELOAD=" + library, "FAKETIME_TIMESTAMP_FILE=" + file_.string(),
                "FAKETIME_NO_CACHE=1", "FAKETIME_DONT_FAKE_MONOTONIC=1"};
    }

  private:
    TempDir dir_{"faketime"};
    std::filesystem::path file_ = dir_ / "faketime.rc";
};

// libfaketime keeps a shared-memory segment and a semaphore per process in /dev/shm and
// removes them at a clean exit only; a killed daemon's would make a later process with the
// same pid fail to start. Declared before the room, so it runs after the room killed it.
struct FaketimeLeftovers {
    std::vector<pid_t> pids;
    ~FaketimeLeftovers() {
        for (pid_t pid : pids) {
            std::error_code ignored;
            const std::string id = std::to_string(pid);
            std::filesystem::remove("/dev/shm/faketime_shm_" + id, ignored);
            std::filesystem::remove("/dev/shm/sem.faketime_sem_" + id, ignored);
        }
    }
};

// "2026-11-28T21:05:11Z" (an event's "at") as seconds since the epoch.
long long utc_seconds(const std::string& text) {
    std::tm tm{};
    if (::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) return 0;
    return static_cast<long long>(::timegm(&tm));
}

long long real_utc_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

// How far the daemon's wall clock is from ours: an unknown command's rejection event
// carries the daemon's wall time.
std::optional<long long> daemon_wall_offset_s(RoomUnderTest& room, const std::string& probe) {
    const long long asked = real_utc_now();
    room.command(probe);
    auto rejected = room.wait_event(
        [&](const Json& e) { return e["type"] == "command_rejected" && e["command"] == probe; });
    if (!rejected || !(*rejected)["at"].is_string()) return std::nullopt;
    return utc_seconds((*rejected)["at"].get<std::string>()) - asked;
}

// A room whose daemon runs under libfaketime, its wall clock's offset set by the test.
class DaemonClock : public testing::Test {
  protected:
    void start_room(double time_scale) {
        const auto library = faketime_library();
        ASSERT_FALSE(library.empty())
            << "libfaketime is missing: scripts/install-deps.sh installs it (Debian: faketime)";
        RoomOptions options;
        options.time_scale = time_scale;
        options.daemon_env = offset.env(library);
        room_ = std::make_unique<RoomUnderTest>(options);
        start_daemon();
    }
    void start_daemon() {
        room_->start_daemon();
        leftovers.pids.push_back(room_->daemon().pid());
    }

    FakeOffset offset;
    FaketimeLeftovers leftovers;  // declared before the room: cleans up after it
    std::unique_ptr<RoomUnderTest> room_;
};

TEST_F(DaemonClock, WallClockJumpsForwardsAndBackwardsLeaveTheTimelineAlone) {
    constexpr double kScale = 60.0;  // onset's 10 m last 10 s; the first bp reminder is due at 15 s
    ASSERT_NO_FATAL_FAILURE(start_room(kScale));
    RoomUnderTest& room = *room_;
    const auto id = room.start_session();

    const auto infusion_sent = Clock::now();
    room.command("infusion_start");
    ASSERT_TRUE(room.wait_event([](const Json& e) { return e["type"] == "infusion"; }))
        << room.daemon_log();
    const auto infusion_seen = Clock::now();
    // Where the timeline should be at steady moment `t`, in engine seconds since the infusion,
    // as a range (the daemon took the command somewhere between sending and the event).
    auto engine_since_infusion = [&](Clock::time_point t) {
        return std::pair{seconds_between(infusion_seen, t) * kScale,
                         seconds_between(infusion_sent, t) * kScale};
    };
    // Onset's remaining time must follow the steady clock: 600 s minus the engine time since
    // the infusion, give or take the once-a-second refresh and whole-second rounding.
    auto expect_onset_remaining_follows_steady_clock = [&](const char* when) {
        room.skip_to_now();
        auto state = room.wait_state([](const Json& s) { return has_session(s); }, 3000ms);
        const auto seen = Clock::now();
        ASSERT_TRUE(state) << when;
        const auto& s = (*state)["session"];
        ASSERT_EQ(s["phase"], "onset") << when << ": " << s.dump();
        const double remaining = s["phase_remaining_s"].get<double>();
        const auto [low, high] = engine_since_infusion(seen);
        const double slack = 1.5 * kScale;
        EXPECT_GE(remaining, 600.0 - high - slack) << when << ": " << s.dump();
        EXPECT_LE(remaining, 600.0 - low + slack) << when << ": " << s.dump();
    };

    // The fake clock is in force: without it this drill would prove nothing.
    auto before_jump = daemon_wall_offset_s(room, "clock-probe-start");
    ASSERT_TRUE(before_jump) << room.daemon_log();
    EXPECT_NEAR(static_cast<double>(*before_jump), 0.0, 3.0);

    std::this_thread::sleep_until(infusion_sent + 2s);  // sets the moment; asserts nothing
    offset.set("+2h");
    auto forwards = daemon_wall_offset_s(room, "clock-probe-forwards");
    ASSERT_TRUE(forwards) << room.daemon_log();
    EXPECT_NEAR(static_cast<double>(*forwards), 7200.0, 3.0) << "the wall clock did not jump";
    expect_onset_remaining_follows_steady_clock("after +2 h");

    std::this_thread::sleep_until(infusion_sent + 4s);
    offset.set("-1h");  // three hours back from +2 h
    auto backwards = daemon_wall_offset_s(room, "clock-probe-backwards");
    ASSERT_TRUE(backwards) << room.daemon_log();
    EXPECT_NEAR(static_cast<double>(*backwards), -3600.0, 3.0) << "the wall clock did not jump";
    expect_onset_remaining_follows_steady_clock("after -3 h");

    // Onset ends 10 real seconds after the infusion: neither skipped by the jump forwards nor
    // held back by the jump backwards.
    auto peak = room.wait_event(
        [](const Json& e) { return e["type"] == "phase_entered" && e["phase"] == "peak"; },
        15000ms);
    const auto peak_seen = Clock::now();
    ASSERT_TRUE(peak) << room.daemon_log();
    {
        const auto [low, high] = engine_since_infusion(peak_seen);
        EXPECT_GE(high, 600.0) << "peak came early";
        EXPECT_LE(low, 600.0 + 1.5 * kScale) << "peak came late";
    }

    // The first blood-pressure reminder is due 15 engine minutes after the infusion.
    auto reminder =
        room.wait_event([](const Json& e) { return e["type"] == "reminder_due"; }, 15000ms);
    const auto reminder_seen = Clock::now();
    ASSERT_TRUE(reminder) << room.daemon_log();
    EXPECT_EQ((*reminder)["reminder"], "bp");
    EXPECT_EQ((*reminder)["seq"], 1);
    {
        const auto [low, high] = engine_since_infusion(reminder_seen);
        EXPECT_GE(high, 900.0) << "reminder came early";
        EXPECT_LE(low, 900.0 + 1.5 * kScale) << "reminder came late";
    }
    offset.set("+0");

    // Nothing repeated or skipped: exactly arrival, onset, peak, and one reminder.
    std::this_thread::sleep_for(1500ms);  // room for a duplicate to show; asserts nothing alone
    std::vector<std::string> phases;
    int reminders = 0;
    for (const auto& text : room.history(room.topic("events"))) {
        auto e = Json::parse(text, nullptr, false);
        if (e.is_discarded()) continue;
        if (e["type"] == "phase_entered") phases.push_back(e["phase"].get<std::string>());
        if (e["type"] == "reminder_due") ++reminders;
    }
    EXPECT_EQ(phases, (std::vector<std::string>{"arrival", "onset", "peak"}));
    EXPECT_EQ(reminders, 1);

    // The journal keeps its order by sequence, and its engine times never run backwards
    // whatever the wall clock did; the session's records are each there once. Read once the
    // daemon has stopped (it holds its journal); a clean exit also lets libfaketime remove
    // its own files.
    EXPECT_TRUE(room.daemon().running());
    room.daemon().signal(SIGTERM);
    EXPECT_EQ(room.daemon().wait_exit(5000ms), 0) << room.daemon_log();
    const auto rows = room.journal_rows(id);
    std::vector<std::string> journaled_phases;
    long long previous = -1;
    for (const auto& row : rows) {
        const std::string type = row["type"];
        if (type == "phase_entered")
            journaled_phases.push_back(Json::parse(row["data"].get<std::string>())["phase"]);
        if (type != "phase_entered" && type != "infusion" && type != "reminder_due" &&
            type != "input" && type != "session_started")
            continue;
        const long long at = row["monotonic_ms"];
        EXPECT_GE(at, previous) << "journal out of engine-time order at " << row.dump();
        previous = at;
    }
    EXPECT_EQ(journaled_phases, (std::vector<std::string>{"arrival", "onset", "peak"}));
}

// The wall clock is stepped while Haven is down: NTP catching up as the machine comes back,
// someone setting the date. Restarted within the same boot, the daemon measures the time it
// was down by the boot clock, so the session resumes where it really is: not hours ahead
// (every phase and reminder skipped) nor held back.
TEST_F(DaemonClock, AWallClockSteppedWhileHavenIsDownDoesNotMoveTheResumedSession) {
    constexpr double kScale = 30.0;  // onset's 10 m last 20 s: both restarts fall inside it
    ASSERT_NO_FATAL_FAILURE(start_room(kScale));
    RoomUnderTest& room = *room_;
    const auto session_asked = Clock::now();
    const auto id = room.start_session();
    room.command("infusion_start");
    ASSERT_TRUE(room.wait_state([](const Json& s) { return session_field(s, "phase") == "onset"; }))
        << room.daemon_log();

    auto engine_s = [&](Clock::duration real) {
        return std::chrono::duration<double>(real).count() * kScale;
    };
    for (const char* step : {"+2h", "-1h"}) {
        SCOPED_TRACE(std::string("wall clock stepped ") + step + " while down");
        const Json before = room.latest_state();
        ASSERT_TRUE(has_session(before)) << before.dump();
        const auto killed_at = Clock::now();
        room.kill_daemon();
        ASSERT_TRUE(room.wait_status("offline")) << room.daemon_log();
        offset.set(step);
        std::this_thread::sleep_for(1500ms);  // 45 engine seconds down: enough to show
        const auto restarted_at = Clock::now();
        start_daemon();
        auto resumed_event = room.wait_event([](const Json& e) { return e["type"] == "resumed"; });
        auto resumed = room.wait_state(has_session);
        const auto resumed_at = Clock::now();
        ASSERT_TRUE(resumed_event && resumed) << room.daemon_log();
        EXPECT_EQ((*resumed_event)["down_measured_by"], "boot clock") << resumed_event->dump();
        // down_s runs from the journal's last row, which may come before the kill, but never
        // from before the session: seconds, where the stepped wall clock would say hours.
        EXPECT_LE((*resumed_event)["down_s"].get<double>(),
                  std::chrono::duration<double>(resumed_at - session_asked).count())
            << resumed_event->dump();

        // The same bounds as the kill-and-resume drills: the timeline moved on by the real
        // time down, give or take the once-a-second state and whole-second rounding.
        const auto& s = (*resumed)["session"];
        EXPECT_EQ(s["id"], id);
        EXPECT_EQ(s["phase"], "onset") << s.dump();
        const double elapsed_before = before["session"].value("elapsed_s", 0.0);
        const double elapsed_after = s.value("elapsed_s", 0.0);
        EXPECT_GE(elapsed_after, elapsed_before + engine_s(restarted_at - killed_at) - 2.0)
            << before.dump() << "\n"
            << s.dump();
        EXPECT_LE(elapsed_after, elapsed_before + engine_s(resumed_at - killed_at) + 1.5 * kScale)
            << before.dump() << "\n"
            << s.dump();
    }
    offset.set("+0");
    room.daemon().signal(SIGTERM);
    EXPECT_EQ(room.daemon().wait_exit(5000ms), 0) << room.daemon_log();
}

bool clock_alarm(const Json& state) {
    if (!state.contains("alarms") || !state["alarms"].is_array()) return false;
    for (const auto& alarm : state["alarms"])
        if (alarm.value("kind", "") == "clock") return true;
    return false;
}

// Across a reboot nothing but the wall clock spans the gap: it counts, and one that reads
// earlier than the session record (a box without a battery-backed clock, up before NTP)
// cannot, which the therapist is told. A reboot is stood in for by giving the journal's rows
// another boot's id while Haven is down (upper case: /proc gives the id in lower case).
TEST_F(DaemonClock, AcrossARebootTheWallClockCountsAndOneBehindIsAnAlarmUntilItIsSet) {
    constexpr double kScale = 30.0;
    ASSERT_NO_FATAL_FAILURE(start_room(kScale));
    RoomUnderTest& room = *room_;
    room.start_session();
    room.command("infusion_start");
    ASSERT_TRUE(room.wait_state([](const Json& s) { return session_field(s, "phase") == "onset"; }))
        << room.daemon_log();
    auto engine_s = [&](Clock::duration real) {
        return std::chrono::duration<double>(real).count() * kScale;
    };
    struct Restart {
        Json before, resumed_event, resumed;
        Clock::time_point killed_at, restarted_at, resumed_at;
    };
    auto reboot_with_wall_clock = [&](const char* offset_now, milliseconds down) {
        Restart r;
        r.before = room.latest_state();
        r.killed_at = Clock::now();
        room.kill_daemon();
        EXPECT_TRUE(room.wait_status("offline"));
        room.journal_sql("UPDATE entries SET boot_id = upper(boot_id)");
        offset.set(offset_now);
        std::this_thread::sleep_for(down);
        r.restarted_at = Clock::now();
        start_daemon();
        auto event = room.wait_event([](const Json& e) { return e["type"] == "resumed"; });
        auto state = room.wait_state(has_session);
        r.resumed_at = Clock::now();
        if (!event || !state) throw std::runtime_error("no resume:\n" + room.daemon_log());
        r.resumed_event = *event;
        r.resumed = *state;
        return r;
    };
    auto elapsed = [](const Json& state) { return state["session"].value("elapsed_s", 0.0); };

    // The wall clock says 20 s more than really passed: across a reboot that is the measure.
    {
        const auto r = reboot_with_wall_clock("+20s", 1000ms);
        EXPECT_EQ(r.resumed_event["down_measured_by"], "wall clock") << r.resumed_event.dump();
        EXPECT_EQ(r.resumed_event["wall_clock_behind"], false);
        EXPECT_GE(elapsed(r.resumed),
                  elapsed(r.before) + 20 * kScale + engine_s(r.restarted_at - r.killed_at) - 2.0);
        EXPECT_LE(elapsed(r.resumed), elapsed(r.before) + 20 * kScale +
                                          engine_s(r.resumed_at - r.killed_at) + 1.5 * kScale);
        EXPECT_TRUE(no_alarms(r.resumed)) << r.resumed.dump();
    }
    // The wall clock now reads an hour before the record: no time down is counted, and the
    // room says so; 3 s down (90 engine s) stand well clear of a state up to 1 s old.
    {
        const auto r = reboot_with_wall_clock("-1h", 3000ms);
        EXPECT_EQ(r.resumed_event["down_measured_by"], "wall clock") << r.resumed_event.dump();
        EXPECT_EQ(r.resumed_event["wall_clock_behind"], true);
        EXPECT_GE(elapsed(r.resumed), elapsed(r.before) - 2.0);
        EXPECT_LE(elapsed(r.resumed),
                  elapsed(r.before) + engine_s(r.resumed_at - r.restarted_at) + 1.5 * kScale);
        ASSERT_TRUE(room.wait_state(clock_alarm)) << r.resumed.dump();

        // A restart within this boot while the clock is still wrong: the boot clock counts
        // that short gap, and the one before it is still owed: the alarm stands.
        room.kill_daemon();
        ASSERT_TRUE(room.wait_status("offline"));
        std::this_thread::sleep_for(500ms);
        start_daemon();
        auto again = room.wait_event([](const Json& e) { return e["type"] == "resumed"; });
        ASSERT_TRUE(again) << room.daemon_log();
        EXPECT_EQ((*again)["down_measured_by"], "boot clock") << again->dump();
        ASSERT_TRUE(room.wait_state(clock_alarm)) << room.latest_state().dump();

        // Then NTP sets the clock right (back to +20 s, where it was before the kill): the
        // gap is known at last, and the session moves on by it and the alarm goes.
        std::this_thread::sleep_for(1500ms);  // the alarm stands while the clock is wrong
        EXPECT_TRUE(clock_alarm(room.latest_state())) << room.latest_state().dump();
        room.skip_to_now();
        const auto set_at = Clock::now();
        offset.set("+20s");
        auto caught_up =
            room.wait_event([](const Json& e) { return e["type"] == "clock_caught_up"; });
        ASSERT_TRUE(caught_up) << room.daemon_log();
        EXPECT_GE((*caught_up)["down_s"].get<double>(),
                  std::floor(std::chrono::duration<double>(r.restarted_at - r.killed_at).count()))
            << caught_up->dump();
        auto after =
            room.wait_state([](const Json& s) { return has_session(s) && !clock_alarm(s); });
        const auto after_seen = Clock::now();
        ASSERT_TRUE(after) << room.daemon_log();
        const auto report = room.report(r.resumed["session"]["id"]);
        EXPECT_NE(report.dump().find("the room's clock was set"), std::string::npos)
            << report.dump(2);
        // As if the whole gap had been counted: the time since the kill, within the bounds of
        // the resume drills. Without the catch-up it would be short by the 90 s down.
        EXPECT_GE(elapsed(*after), elapsed(r.before) + engine_s(set_at - r.killed_at) - 2.0)
            << r.before.dump() << "\n"
            << after->dump();
        EXPECT_LE(elapsed(*after),
                  elapsed(r.before) + engine_s(after_seen - r.killed_at) + 1.5 * kScale)
            << r.before.dump() << "\n"
            << after->dump();
    }
    room.command("end", "force");
    EXPECT_TRUE(room.wait_state([](const Json& s) { return !has_session(s) && no_alarms(s); }))
        << room.latest_state().dump();
    offset.set("+0");
    room.daemon().signal(SIGTERM);
    EXPECT_EQ(room.daemon().wait_exit(5000ms), 0) << room.daemon_log();
}

}  // namespace
}  // namespace haven::test
