// Bytes that are not UTF-8, sent where anyone on the clinic network can send them: every
// command topic and every device topic the demo room listens to. One 0xFF byte used to stop
// the daemon (nlohmann::json threw while serialising the refusal that quoted it back), and a
// retained one stopped it at every start. Now each is refused or ignored, and the room runs on.
#include <gtest/gtest.h>

#include <random>

#include "room_under_test.hpp"
#include "utf8.hpp"

namespace haven::test {
namespace {

const std::vector<std::string> command_names{"start",
                                             "end",
                                             "infusion_start",
                                             "infusion_pause",
                                             "infusion_resume",
                                             "infusion_stop",
                                             "next",
                                             "extend",
                                             "hold",
                                             "release",
                                             "assist",
                                             "emergency",
                                             "assist_clear",
                                             "volume",
                                             "music_next",
                                             "lights_up",
                                             "lights_down",
                                             "ack",
                                             "mark",
                                             "correct"};

// Where the demo room's devices and Home Assistant talk to it (config/rooms/demo.yaml).
const std::vector<std::string> device_topics{"zigbee2mqtt/cedar/ceiling",
                                             "zigbee2mqtt/cedar/ceiling/availability",
                                             "zigbee2mqtt/cedar/therapist-button",
                                             "stat/cedar-lamp/RESULT",
                                             "tele/cedar-lamp/LWT",
                                             "tele/cedar-lamp/STATE",
                                             "wled/cedar-strip/v",
                                             "wled/cedar-strip/status",
                                             "shellyprodm1pm-cedar/events/rpc",
                                             "shellyprodm1pm-cedar/online",
                                             "cedar/shelf",
                                             "cedar/shelf/availability",
                                             "homeassistant/status"};

bool rejected(const Json& event, const std::string& command) {
    return event.value("type", "") == "command_rejected" && event.value("command", "") == command;
}

TEST(DaemonHostileInput, AByteThatIsNotUtf8IsRefusedOnEveryCommandAndTheRoomRunsOn) {
    RoomUnderTest room;
    room.start_daemon();
    for (const auto& name : command_names) {
        room.command(name, "\xFF");
        auto event = room.wait_event([&](const Json& e) { return rejected(e, name); });
        ASSERT_TRUE(event) << "no refusal for cmd/" << name << "\n" << room.daemon_log();
        EXPECT_TRUE(is_valid_utf8(event->value("reason", ""))) << event->dump();
        ASSERT_TRUE(room.daemon().running()) << "cmd/" << name << "\n" << room.daemon_log();
    }
    // JSON whose string holds the byte, and a refusal that would quote it.
    room.command("mark", "{\"text\":\"\xFF\"}");
    room.command("volume", "40\xFF");
    ASSERT_TRUE(room.wait_event([](const Json& e) { return rejected(e, "volume"); }))
        << room.daemon_log();
    for (const auto& topic : device_topics)
        room.publish(topic, "\xFF\xFE{\"action\":\"single\xFF\"}", 1);

    // Still the same room, taking commands.
    room.start_session();
    room.command("mark", "{\"text\":\"a note after the garbage\"}");
    ASSERT_TRUE(room.daemon().running()) << room.daemon_log();
}

TEST(DaemonHostileInput, ARetainedBadByteDoesNotStopTheDaemonAtStart) {
    RoomUnderTest room;
    room.publish(room.topic("cmd/mark"), "\xFF", 1, /*retain=*/true);
    room.publish(room.topic("cmd/volume"), "\xFF", 1, /*retain=*/true);
    room.publish("zigbee2mqtt/cedar/therapist-button", "\xFF", 1, /*retain=*/true);
    for (int start = 0; start < 2; ++start) {
        room.start_daemon();
        ASSERT_TRUE(room.wait_event([](const Json& e) { return rejected(e, "volume"); }))
            << room.daemon_log();
        ASSERT_TRUE(room.daemon().running()) << room.daemon_log();
        room.start_session();
        room.command("end", "{\"force\":true}");
        ASSERT_TRUE(room.wait_state([](const Json& s) { return !has_session(s); }))
            << room.daemon_log();
        room.daemon().signal(SIGTERM);
        ASSERT_EQ(room.daemon().wait_exit(std::chrono::seconds{10}), 0) << room.daemon_log();
    }
}

// A command takes only its own keys: a JSON object meant for another command (or garbage)
// used to pass as a bare command, so this ended a session.
TEST(DaemonHostileInput, AnotherCommandsKeysAreRefusedAndTheSessionRunsOn) {
    RoomUnderTest room;
    room.start_daemon();
    const auto id = room.start_session();
    room.command("end", R"({"volume":[1,2,3]})");
    auto refused = room.wait_event([](const Json& e) { return rejected(e, "end"); });
    ASSERT_TRUE(refused) << room.daemon_log();
    EXPECT_NE(refused->value("reason", "").find("volume"), std::string::npos) << refused->dump();
    room.command("hold");
    ASSERT_TRUE(room.wait_state([&](const Json& s) {
        return session_field(s, "id") == id && s["session"].value("held", false);
    })) << "the session must still be open\n"
        << room.daemon_log();
}

// The drill the issue asks for: random bytes, many times, on every command and device topic.
TEST(DaemonHostileInput, RandomBytesOnEveryTopicNeverStopTheRoom) {
    RoomUnderTest room;
    room.start_daemon();
    const auto id = room.start_session();
    std::mt19937 random{20261207};  // fixed: a failure can be replayed
    std::uniform_int_distribution<int> byte(0, 255), length(1, 64);
    std::vector<std::string> topics = device_topics;
    for (const auto& name : command_names)
        topics.push_back(room.topic("cmd/" + name));
    for (int round = 0; round < 20; ++round) {
        for (const auto& topic : topics) {
            std::string payload(static_cast<std::size_t>(length(random)), '\0');
            for (auto& c : payload)
                c = static_cast<char>(byte(random));
            if (topic.ends_with("cmd/end")) payload = "\xFF";  // never a real end
            room.publish(topic, payload, 0);
        }
    }
    room.command("hold");
    ASSERT_TRUE(room.wait_state([&](const Json& s) {
        return session_field(s, "id") == id && s["session"].value("held", false);
    })) << room.daemon_log();
    EXPECT_TRUE(room.daemon().running());
}

}  // namespace
}  // namespace haven::test
