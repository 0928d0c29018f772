// Issue 21's mixed garbage flood: about 18,000 messages a second from several connections to
// the room's command and device topics, QoS 0 and 1 mixed, for a minute. It used to stop every
// QoS 1 publish for good (no event, no retained state ever again, light commands at QoS 0
// still going out) while the daemon's memory grew. Now the room answers a real cue within a
// second of the flood's end, and its memory stays bounded throughout.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdio>

#include "mqtt_flooder.hpp"
#include "room_under_test.hpp"

namespace haven::test {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Where the demo room listens (config/rooms/demo.yaml): buttons, light reports, availability.
const std::vector<std::string> device_topics{"zigbee2mqtt/cedar/ceiling",
                                             "zigbee2mqtt/cedar/ceiling/availability",
                                             "zigbee2mqtt/cedar/therapist-button",
                                             "stat/cedar-lamp/RESULT",
                                             "tele/cedar-lamp/STATE",
                                             "wled/cedar-strip/v",
                                             "shellyprodm1pm-cedar/events/rpc",
                                             "cedar/shelf"};

// Garbage of every kind a broken integration or an intruder sends: commands that do not
// parse, commands the engine refuses, unknown commands, device reports that make no sense,
// bytes that are not UTF-8. One in four at QoS 1, so the broker must hold some for Haven.
FloodPlan::Message garbage(int connection, long i) {
    FloodPlan::Message m;
    m.qos = i % 4 == 0 ? 1 : 0;
    const long n = i * 7 + connection;
    switch (n % 8) {
        case 0:
            m = {"haven/cedar/cmd/no-such-command-" + std::to_string(n % 50), "", m.qos};
            break;
        case 1:
            m = {"haven/cedar/cmd/volume", "{\"level\":", m.qos};
            break;
        case 2:
            m = {"haven/cedar/cmd/ack", "no-such-reminder", m.qos};
            break;
        case 3:
            m = {"haven/cedar/cmd/extend", "\xFF\xFE", m.qos};
            break;
        case 4:
            m = {"zigbee2mqtt/cedar/therapist-button", "{\"action\":\"dance\"}", m.qos};
            break;
        default:
            m = {device_topics[static_cast<std::size_t>(n) % device_topics.size()],
                 "{\"state\":[\xFF]}", m.qos};
    }
    return m;
}

TEST(DaemonMixedFlood, AMinuteOfGarbageFromSixConnectionsThenARealCueWithinASecond) {
    RoomUnderTest room(20.0);
    room.start_daemon();
    const auto session = room.start_session();
    std::this_thread::sleep_for(1s);  // the session's first allocations settle
    const long rss_before = room.daemon().rss_kib();
    ASSERT_GT(rss_before, 0);

    FloodPlan plan;
    plan.message = garbage;
    const auto flood_start = Clock::now();
    MqttFlooder flood(room.broker(), plan);
    long rss_peak = rss_before;
    while (flood.running()) {
        rss_peak = std::max(rss_peak, room.daemon().rss_kib());
        std::this_thread::sleep_for(1s);
    }
    flood.wait();
    const double flood_s = std::chrono::duration<double>(Clock::now() - flood_start).count();
    const double rate = static_cast<double>(flood.sent()) / flood_s;
    // Every message of the plan went out (a publisher that fell behind takes longer, and the
    // rate below says so).
    EXPECT_EQ(flood.sent(), 6L * 18000 / 6 * 60);
    RecordProperty("flood_messages", static_cast<int>(flood.sent()));
    RecordProperty("flood_rate_per_s", static_cast<int>(rate));
    ASSERT_TRUE(room.daemon().running()) << room.daemon_log().substr(0, 4000);

    // The flood is over: a real cue, its event and the new retained state within a second.
    room.skip_to_now();
    const auto pressed = Clock::now();
    room.command("assist");
    // The bound is the issue's: both within one second of the command, however the two
    // waits share it.
    const auto deadline = pressed + 1s;
    auto left = [&] {
        return std::max(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
            std::chrono::milliseconds{1});
    };
    auto raised =
        room.wait_event([](const Json& e) { return e["type"] == "assist_raised"; }, left());
    auto state = room.wait_state(
        [](const Json& s) { return has_session(s) && s["session"]["assist"] == true; }, left());
    const auto answered = Clock::now();
    RecordProperty(
        "recovery_ms",
        static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(answered - pressed).count()));
    EXPECT_TRUE(raised) << "no event within 1 s of the flood's end\n"
                        << room.daemon_log().substr(0, 4000);
    EXPECT_TRUE(state) << "no retained state within 1 s of the flood's end";
    // And the retained state is really retained: a newcomer gets it from the broker.
    TestMqttClient newcomer(room.broker());
    newcomer.subscribe(room.topic("state"));
    auto retained = newcomer.wait_for(room.topic("state"), [](const std::string& text) {
        auto s = Json::parse(text, nullptr, false);
        return has_session(s) && s["session"]["assist"] == true;
    });
    EXPECT_TRUE(retained && retained->retained);

    // How often the daemon found its PUBACKs dropped and renewed the connection (the cause;
    // see devices/mqtt/mqtt_acks.cpp): evidence for docs/reliability.md, not a bound.
    const std::string log = room.daemon_log();
    int renewals = 0;
    for (auto at = log.find("acknowledged none"); at != std::string::npos;
         at = log.find("acknowledged none", at + 1))
        ++renewals;
    RecordProperty("connection_renewals", renewals);
    std::printf("connection renewed %d time(s) for dropped acknowledgements\n", renewals);

    const long rss_after = room.daemon().rss_kib();
    rss_peak = std::max(rss_peak, rss_after);
    RecordProperty("rss_before_kib", static_cast<int>(rss_before));
    RecordProperty("rss_peak_kib", static_cast<int>(rss_peak));
    RecordProperty("rss_after_kib", static_cast<int>(rss_after));
    std::printf(
        "flood: %ld messages in %.1f s (%.0f/s); RSS %ld -> peak %ld -> %ld KiB; cue "
        "answered in %lld ms\n",
        flood.sent(), flood_s, rate, rss_before, rss_peak, rss_after,
        static_cast<long long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(answered - pressed).count()));
    // The bound: what the daemon may hold for a flood of any length (its bounded queues and
    // the allocator's arenas), well under the 65 MB it used to grow by.
    EXPECT_LT(rss_peak - rss_before, 16 * 1024)
        << rss_before << " KiB -> peak " << rss_peak << " KiB -> " << rss_after << " KiB";

    // The refused `ack`s (one in eight of the flood) are journaled as a first row and
    // summaries with their count, the last written at shutdown; not one row each.
    room.daemon().signal(SIGTERM);
    ASSERT_TRUE(room.daemon().wait_exit(10s));
    int refusal_rows = 0;
    long refusals_counted = 0;
    for (const auto& row : room.journal_rows(session)) {
        if (row["type"] != "command_rejected") continue;
        ++refusal_rows;
        refusals_counted += 1 + Json::parse(row["data"].get<std::string>()).value("repeats", 0L);
    }
    RecordProperty("refusal_rows", refusal_rows);
    RecordProperty("refusals_counted", static_cast<int>(refusals_counted));
    std::printf("journal: %d refusal rows for %ld refused commands\n", refusal_rows,
                refusals_counted);
    EXPECT_LE(refusal_rows, 6) << "a first row and about one summary a minute";
    // Many reached the engine (the broker drops some of a flood it cannot hand on).
    EXPECT_GT(refusals_counted, 10000);
}

}  // namespace
}  // namespace haven::test
