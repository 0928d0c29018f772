// The sound server dies under the real daemon while it plays a session's music, and comes
// back: the session carries on without music, the daemon says so (state and event), and it
// plays again once JACK returns, without anyone touching it. jackd runs on the dummy
// backend under a name of this test's own (tests/support/jack_dummy_server.hpp).
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "jack_dummy_server.hpp"
#include "room_under_test.hpp"

namespace haven::test {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

// Haven's JACK client ("haven") has ports, and they are connected to the playback ports.
bool haven_is_connected(const std::string& server) {
    std::string ports;
    try {
        ports = run_to_completion("jack_lsp", {"-s", server, "-c"});
    } catch (const std::exception&) {
        return false;
    }
    const auto at = ports.find("haven:");
    return at != std::string::npos && ports.find("   system:playback", at) != std::string::npos;
}

bool wait_connected(const std::string& server, milliseconds timeout) {
    for (auto deadline = std::chrono::steady_clock::now() + timeout;
         std::chrono::steady_clock::now() < deadline;) {
        if (haven_is_connected(server)) return true;
        std::this_thread::sleep_for(200ms);
    }
    return false;
}

JsonTest audio(const std::string& state, bool device_ok) {
    return [=](const Json& s) {
        return s["audio"].is_object() && s["audio"]["state"] == state &&
               s["audio"]["device_ok"] == device_ok;
    };
}

JsonTest audio_event(const std::string& type) {
    return [=](const Json& e) { return e["type"] == type && e["device"] == "audio"; };
}

TEST(DaemonJack, ServerKilledAndRestartedMidMusicTheSessionGoesOnAndMusicReturns) {
    JackDummyServer jack;  // sets JACK_DEFAULT_SERVER for the daemon too
    ASSERT_TRUE(jack.ready()) << "jackd (jackd2) did not start";
    RoomOptions options;
    options.time_scale = 60.0;
    options.audio_output = "system";
    RoomUnderTest room(options);
    room.start_daemon();
    const auto id = room.start_session();
    ASSERT_TRUE(room.wait_state(audio("playing", true), 15000ms)) << room.daemon_log();
    ASSERT_TRUE(wait_connected(jack.name(), 5000ms)) << "haven's JACK client is not connected";

    jack.stop(SIGKILL);  // a crash: no goodbye to clients
    auto fault = room.wait_event(audio_event("device_fault"), 10000ms);
    ASSERT_TRUE(fault) << room.daemon_log();
    ASSERT_TRUE(room.wait_state([](const Json& s) {
        return s["audio"].is_object() && s["audio"]["device_ok"] == false;
    })) << room.daemon_log();

    // The session does not wait for the music.
    room.command("infusion_start");
    auto onset =
        room.wait_state([](const Json& s) { return session_field(s, "phase") == "onset"; });
    ASSERT_TRUE(onset) << room.daemon_log();
    EXPECT_EQ(session_field(*onset, "id"), id);
    EXPECT_TRUE(room.daemon().running());

    ASSERT_TRUE(jack.start()) << "jackd did not restart";
    // The device is retried on a 1, 2, 4 ... s backoff: well within 20 s.
    ASSERT_TRUE(room.wait_event(audio_event("device_recovered"), 20000ms)) << room.daemon_log();
    auto playing = room.wait_state(audio("playing", true), 10000ms);
    ASSERT_TRUE(playing) << room.daemon_log();
    EXPECT_EQ((*playing)["audio"]["playlist"], "deep") << "onset's playlist after the restart";
    EXPECT_EQ(session_field(*playing, "phase"), "onset");
    EXPECT_TRUE(wait_connected(jack.name(), 5000ms)) << "haven did not reconnect to JACK";

    // Both changes are in the journal, once each (read once the daemon, which holds it, stops).
    room.daemon().signal(SIGTERM);
    EXPECT_EQ(room.daemon().wait_exit(10000ms), 0) << room.daemon_log();
    int faults = 0;
    int recoveries = 0;
    for (const auto& row : room.journal_rows(id)) {
        if (row["type"] == "device_fault" &&
            Json::parse(row["data"].get<std::string>())["device"] == "audio")
            ++faults;
        if (row["type"] == "device_recovered" &&
            Json::parse(row["data"].get<std::string>())["device"] == "audio")
            ++recoveries;
    }
    EXPECT_EQ(faults, 1);
    EXPECT_EQ(recoveries, 1);
}

}  // namespace
}  // namespace haven::test
