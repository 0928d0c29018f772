// The broker dies mid-session (mid-fade) and comes back: Haven reconnects on its own, says
// it is online again, republishes its state, and takes commands.
#include <gtest/gtest.h>

#include <thread>

#include "room_under_test.hpp"

namespace haven::test {
namespace {

TEST(DaemonBroker, KilledAndRestartedMidFadeTheRoomReconnectsAndTakesCommands) {
    RoomUnderTest room(60.0);  // onset's 3 m fade lasts 3 s
    room.start_daemon();
    const auto id = room.start_session();
    room.command("infusion_start");
    ASSERT_TRUE(room.wait_state([](const Json& s) { return session_field(s, "phase") == "onset"; }))
        << room.daemon_log();

    room.broker().kill();  // no goodbye, retained messages since start are lost
    std::this_thread::sleep_for(std::chrono::milliseconds{500});  // Haven notices the loss
    room.broker().start();
    room.reconnect_observer();

    // Whatever is retained now was published by Haven after the restart.
    ASSERT_TRUE(room.wait_status("online", std::chrono::milliseconds{15000})) << room.daemon_log();
    auto state = room.wait_state(has_session, std::chrono::milliseconds{15000});
    ASSERT_TRUE(state) << room.daemon_log();
    EXPECT_EQ(session_field(*state, "id"), id);
    EXPECT_EQ(session_field(*state, "infusion"), "running");
    EXPECT_TRUE(room.daemon().running());

    room.command("infusion_pause");
    auto paused =
        room.wait_state([](const Json& s) { return session_field(s, "infusion") == "paused"; });
    ASSERT_TRUE(paused) << "a command after the broker came back was not taken\n"
                        << room.daemon_log();
    EXPECT_EQ(session_field(*paused, "id"), id);
}

}  // namespace
}  // namespace haven::test
