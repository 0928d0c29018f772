// The real daemon's automation API: ready, retained state, sessions, refused commands and a
// clean stop on SIGTERM.
#include <gtest/gtest.h>

#include <cctype>
#include <csignal>
#include <ostream>

#include "room_under_test.hpp"

namespace haven::test {
namespace {

TEST(DaemonReady, PublishesOnlineAndRetainsAnIdleState) {
    RoomUnderTest room;
    room.start_daemon();

    // A client that arrives later is told both by the broker (retained).
    TestMqttClient late(room.broker());
    late.subscribe(room.topic("status"));
    late.subscribe(room.topic("state"));
    auto status = late.wait_for(room.topic("status"));
    ASSERT_TRUE(status) << room.daemon_log();
    EXPECT_EQ(status->payload, "online");
    EXPECT_TRUE(status->retained);
    auto state = late.wait_for(room.topic("state"));
    ASSERT_TRUE(state) << room.daemon_log();
    EXPECT_TRUE(state->retained);
    auto document = Json::parse(state->payload);
    EXPECT_EQ(document["room"]["id"], "cedar");
    EXPECT_TRUE(document["session"].is_null()) << document.dump();
}

TEST(DaemonReady, StartOpensASessionInArrival) {
    RoomUnderTest room;
    room.start_daemon();
    room.command("start", "iv-ketamine");

    auto started = room.wait_event([](const Json& e) { return e["type"] == "session_started"; });
    ASSERT_TRUE(started) << room.daemon_log();
    auto state = room.wait_state(has_session);
    ASSERT_TRUE(state) << room.daemon_log();
    const auto& session = (*state)["session"];
    EXPECT_EQ(session["phase"], "arrival");
    EXPECT_EQ(session["phase_index"], 0);
    EXPECT_EQ(session["template"], "iv-ketamine");
    EXPECT_EQ(session["infusion"], "none");
    EXPECT_TRUE(session["assist"] == false);
    EXPECT_TRUE(session["reminders_pending"].empty());
    EXPECT_EQ(session["id"].get<std::string>().size(), 16u);
}

struct MalformedCommand {
    const char* what;
    std::string name;
    std::string payload;
    std::string rejected_as;  // the event's "command"
};

// Test names and failure messages show the case, not the struct's bytes.
void PrintTo(const MalformedCommand& c, std::ostream* out) {
    *out << c.what;
}

std::vector<MalformedCommand> malformed_commands() {
    return {
        {"unknown name", "frobnicate", "", "frobnicate"},
        {"duration that is not one", "extend", "banana", "extend"},
        {"volume out of range", "volume", "250", "volume"},
        {"truncated JSON", "start", "{\"template\":", "start"},
        {"100 KB payload", "mark", std::string(100 * 1024, 'x'), "mark"},
        {"start while a session is open", "start", "iv-ketamine", "start"},
        {"ack with nothing pending", "ack", "", "ack"},
    };
}

class DaemonRefuses : public testing::TestWithParam<MalformedCommand> {};

TEST_P(DaemonRefuses, WithACommandRejectedEventAndLeavesTheSessionAlone) {
    const auto& bad = GetParam();
    RoomUnderTest room;
    room.start_daemon();
    const auto id = room.start_session();
    room.skip_to_now();

    room.command(bad.name, bad.payload);
    auto rejected = room.wait_event([&](const Json& e) {
        return e["type"] == "command_rejected" && e.value("command", "") == bad.rejected_as;
    });
    ASSERT_TRUE(rejected) << bad.what << "\n" << room.daemon_log();
    EXPECT_FALSE(rejected->value("reason", "").empty()) << rejected->dump();
    EXPECT_EQ(rejected->dump().find(std::string(64, 'x')), std::string::npos)
        << "the payload was echoed back";

    // Nothing else happened: a valid command afterwards is the next thing the room did.
    room.command("volume", "40");
    auto after = room.wait_state(
        [](const Json& s) { return has_session(s) && s["session"]["music"]["volume"] == 40; });
    ASSERT_TRUE(after) << room.daemon_log();
    EXPECT_EQ(session_field(*after, "id"), id);
    EXPECT_EQ(session_field(*after, "phase"), "arrival");
    EXPECT_EQ((*after)["session"]["infusion"], "none");
    EXPECT_TRUE(room.daemon().running());
}

INSTANTIATE_TEST_SUITE_P(Malformed, DaemonRefuses, testing::ValuesIn(malformed_commands()),
                         [](const auto& test) {
                             std::string name = test.param.what;
                             for (auto& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(DaemonStop, SigtermPublishesOfflineAndExitsZeroWithinTwoSeconds) {
    RoomUnderTest room;
    room.start_daemon();
    room.start_session();

    room.daemon().signal(SIGTERM);
    auto code = room.daemon().wait_exit(std::chrono::milliseconds{2000});
    ASSERT_TRUE(code) << "still running 2 s after SIGTERM\n" << room.daemon_log();
    EXPECT_EQ(*code, 0) << room.daemon_log();
    EXPECT_TRUE(room.wait_status("offline", std::chrono::milliseconds{2000})) << room.daemon_log();

    // And retained, for whoever looks next.
    TestMqttClient late(room.broker());
    late.subscribe(room.topic("status"));
    auto status = late.wait_for(room.topic("status"));
    ASSERT_TRUE(status);
    EXPECT_EQ(status->payload, "offline");
}

}  // namespace
}  // namespace haven::test
