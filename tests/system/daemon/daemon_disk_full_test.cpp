// The state directory stops taking writes mid-session (a full disk; here a file-size limit
// set on the running daemon with prlimit, so no root or tiny filesystem is needed): the room
// keeps running, an alarm is raised on the state, nothing is lost once the disk takes writes
// again, and the journal is intact for resume and the report.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>

#include "journal_outage_checks.hpp"
#include "mosquitto_broker.hpp"
#include "room_under_test.hpp"
#include "test_mqtt_client.hpp"

namespace haven::test {
namespace {

void set_file_size_limit(pid_t pid, rlim_t bytes) {
    rlimit limit{};
    ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, nullptr, &limit), 0);
    limit.rlim_cur = std::min(bytes, limit.rlim_max);
    ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, &limit, nullptr), 0);
}

rlim_t largest_file_in(const std::filesystem::path& dir) {
    std::uintmax_t largest = 0;
    for (const auto& file : std::filesystem::directory_iterator(dir))
        if (file.is_regular_file()) largest = std::max(largest, file.file_size());
    return static_cast<rlim_t>(largest);
}

TEST(DaemonDiskFull, TheRoomKeepsRunningRaisesAnAlarmAndLosesNothing) {
    RoomUnderTest room(60.0);
    room.start_daemon();
    const auto id = room.start_session();
    ASSERT_TRUE(room.wait_state(no_alarms)) << "a healthy room must show an empty alarm list";
    TestMqttClient lights(room.broker());
    lights.subscribe("zigbee2mqtt/cedar/ceiling/set");

    set_file_size_limit(room.daemon().pid(), largest_file_in(room.state_dir()));
    auto reply = room.panel_post("/api/command/infusion_start");
    EXPECT_NE(reply.status, 200) << "a command whose record is not on disk must not be acked";
    EXPECT_NE(reply.body.find("done in the room"), std::string::npos) << reply.body;
    ASSERT_TRUE(room.wait_state(journal_alarm)) << room.daemon_log();

    // The room still reacts while nothing can be written: assist reaches the lights.
    room.command("assist");
    EXPECT_TRUE(lights.wait_for("zigbee2mqtt/cedar/ceiling/set"))
        << "assist did not reach the lights with the disk full\n"
        << room.daemon_log();
    ASSERT_TRUE(room.wait_state([](const Json& s) { return s["session"].value("assist", false); }));
    EXPECT_TRUE(room.daemon().running());

    set_file_size_limit(room.daemon().pid(), RLIM_INFINITY);
    ASSERT_TRUE(room.wait_state(no_alarms, std::chrono::milliseconds{15000}))
        << "the alarm did not clear after the disk recovered\n"
        << room.daemon_log();

    // Everything from the outage is in the journal, in order.
    room.daemon().signal(SIGTERM);
    ASSERT_EQ(room.daemon().wait_exit(std::chrono::milliseconds{10000}), 0);
    expect_outage_recorded_and_session_resumes(room, id);
}

}  // namespace
}  // namespace haven::test
