// A burst of 1,000 malformed commands: the room stays up, the session is not touched, and
// the daemon's memory does not grow with the garbage.
#include <gtest/gtest.h>

#include "room_under_test.hpp"

namespace haven::test {
namespace {

TEST(DaemonFlood, ThousandMalformedCommandsLeaveTheSessionAndMemoryAlone) {
    RoomUnderTest room(20.0);
    room.start_daemon();
    const auto id = room.start_session();
    room.command("infusion_start");
    ASSERT_TRUE(room.wait_state([](const Json& s) { return session_field(s, "phase") == "onset"; }))
        << room.daemon_log();
    const long rss_before = room.daemon().rss_kib();
    ASSERT_GT(rss_before, 0);

    const std::string big(20 * 1024, '{');
    constexpr int flood = 1000;
    for (int i = 0; i < flood; ++i) {
        switch (i % 5) {
            case 0:
                room.command("no-such-command-" + std::to_string(i), "", 0);
                break;
            case 1:
                room.command("extend", "for ever", 0);
                break;
            case 2:
                room.command("volume", "{\"level\":", 0);
                break;
            case 3:
                room.command("start", big, 0);
                break;  // malformed JSON, 20 KB
            case 4:
                room.command("ack", "no-such-reminder-" + std::to_string(i), 0);
                break;
        }
    }
    // QoS 0 in order on one connection: when this is answered the flood was handled.
    room.command("flood-end", "", 1);
    auto last = room.wait_event(
        [](const Json& e) {
            return e["type"] == "command_rejected" && e["command"] == "flood-end";
        },
        std::chrono::milliseconds{30000});
    ASSERT_TRUE(last) << room.daemon_log().substr(0, 4000);
    EXPECT_TRUE(room.daemon().running());

    room.command("volume", "42");
    auto state = room.wait_state(
        [](const Json& s) { return has_session(s) && s["session"]["music"]["volume"] == 42; });
    ASSERT_TRUE(state);
    EXPECT_EQ(session_field(*state, "id"), id);
    EXPECT_EQ(session_field(*state, "phase"), "onset");
    EXPECT_EQ(session_field(*state, "infusion"), "running");
    EXPECT_FALSE((*state)["session"]["assist"].get<bool>());

    // Generous: 20 MB of 20 MB sent would mean the garbage is being kept.
    const long rss_after = room.daemon().rss_kib();
    RecordProperty("rss_before_kib", static_cast<int>(rss_before));
    RecordProperty("rss_after_kib", static_cast<int>(rss_after));
    EXPECT_LT(rss_after - rss_before, 16 * 1024) << rss_before << " KiB -> " << rss_after << " KiB";
}

}  // namespace
}  // namespace haven::test
