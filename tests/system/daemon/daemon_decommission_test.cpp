// `haven decommission`: a retired room leaves the broker and Home Assistant, and is refused
// while its daemon still runs (it would publish everything again at once).
#include <gtest/gtest.h>

#include <thread>

#include "room_under_test.hpp"
#include "run_command.hpp"

namespace haven::test {
namespace {

const std::string discovery_topic = "homeassistant/device/haven_cedar/config";

// Retained messages a new subscriber gets for `topic` within a second ("" payloads are none).
std::vector<std::string> retained(const MosquittoBroker& broker, const std::string& topic) {
    TestMqttClient probe(broker);
    probe.subscribe(topic);
    std::this_thread::sleep_for(std::chrono::seconds{1});
    std::vector<std::string> payloads;
    for (const auto& m : probe.received(topic))
        if (m.retained && !m.payload.empty()) payloads.push_back(m.payload);
    return payloads;
}

TEST(DaemonDecommission, ClearsTheRoomsRetainedTopicsOnceItsDaemonHasStopped) {
    RoomUnderTest room;
    room.start_daemon();
    ASSERT_FALSE(retained(room.broker(), discovery_topic).empty()) << room.daemon_log();
    ASSERT_FALSE(retained(room.broker(), room.topic("state")).empty());

    const std::vector<std::string> decommission{HAVEN_BINARY, "decommission", "--config",
                                                room.config_file().string()};
    auto refused = run_command(decommission, std::chrono::seconds{20});
    EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("online"), std::string::npos) << refused.err;
    EXPECT_FALSE(retained(room.broker(), discovery_topic).empty()) << "nothing cleared";
    EXPECT_TRUE(room.daemon().running());

    room.daemon().signal(SIGTERM);
    ASSERT_EQ(room.daemon().wait_exit(std::chrono::seconds{10}), 0) << room.daemon_log();
    auto done = run_command(decommission, std::chrono::seconds{20});
    ASSERT_EQ(done.exit_code, 0) << done.out << done.err;
    for (const auto& topic : {discovery_topic, room.topic("state"), room.topic("status")})
        EXPECT_TRUE(retained(room.broker(), topic).empty()) << topic;
}

}  // namespace
}  // namespace haven::test
