// Lights drop off the network and come back mid-session, announced the way their dialects
// do (Tasmota's LWT, WLED's status topic). While away they get no commands; the state and
// events say so; on return each is brought to the level it should have *now*: mid-fade,
// the fade's current point (not the stale level, not a jump to the fade's end), and after
// the fade, its target.
#include <gtest/gtest.h>

#include <thread>

#include "lightness.hpp"
#include "room_under_test.hpp"

namespace haven::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kLampDimmer = "cmnd/cedar-lamp/Dimmer";
const std::string kLampLwt = "tele/cedar-lamp/LWT";
const std::string kStripApi = "wled/cedar-strip/api";
const std::string kStripStatus = "wled/cedar-strip/status";

JsonTest light_available(const std::string& light, bool available) {
    return [=](const Json& s) {
        return s.contains("lights") && s["lights"].contains(light) &&
               s["lights"][light]["available"] == available;
    };
}

JsonTest device_event(const std::string& type, const std::string& device) {
    return [=](const Json& e) { return e["type"] == type && e["device"] == device; };
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

TEST(DaemonLights, LightsOfflineMidSessionGetTheLevelTheyShouldHaveWhenBack) {
    RoomOptions options;
    options.time_scale = 30.0;  // onset fades to `deep` over 3 m: 6 s here, slack for load
    options.watch = {kLampDimmer, kStripApi};
    RoomUnderTest room(options);
    room.start_daemon();
    room.start_session();
    // Welcome: lamp 50, strip 40, at rest before the drill starts.
    ASSERT_TRUE(room.wait_state([](const Json& s) {
        return s["lights"]["lamp"]["level"] == 50 && s["lights"]["lamp"]["fading"] == false &&
               s["lights"]["strip"]["fading"] == false;
    })) << room.daemon_log();

    // The strip is gone for the whole onset fade.
    room.publish(kStripStatus, "offline", 1, true);
    ASSERT_TRUE(room.wait_state(light_available("strip", false))) << room.daemon_log();
    ASSERT_TRUE(room.wait_event(device_event("device_fault", "light:strip")));
    const auto strip_mark = room.history(kStripApi).size();

    const auto infusion_sent = Clock::now();
    room.command("infusion_start");
    ASSERT_TRUE(room.wait_state([](const Json& s) { return session_field(s, "phase") == "onset"; }))
        << room.daemon_log();
    const auto infusion_seen = Clock::now();

    // A third of the way into the fade the lamp drops off, as Tasmota's LWT says.
    std::this_thread::sleep_until(infusion_sent + 2s);  // sets the moment; asserts nothing
    room.publish(kLampLwt, "Offline", 1, true);
    ASSERT_TRUE(room.wait_state(light_available("lamp", false))) << room.daemon_log();
    ASSERT_TRUE(room.wait_event(device_event("device_fault", "light:lamp")));
    const auto lamp_mark = room.history(kLampDimmer).size();

    // Two thirds in it is back: it must get the fade's current point straight away.
    std::this_thread::sleep_until(infusion_sent + 4s);
    const auto lamp_back = Clock::now();
    EXPECT_EQ(room.history(kLampDimmer).size(), lamp_mark) << "a command went to an offline lamp";
    room.publish(kLampLwt, "Online", 1, true);
    std::optional<std::string> first_back;
    for (auto deadline = Clock::now() + 3s; !first_back && Clock::now() < deadline;) {
        auto dimmer = room.history(kLampDimmer);
        if (dimmer.size() > lamp_mark)
            first_back = dimmer[lamp_mark];
        else
            std::this_thread::sleep_for(10ms);
    }
    const auto lamp_sent = Clock::now();
    ASSERT_TRUE(first_back) << "the lamp got no command when it came back\n" << room.daemon_log();
    ASSERT_TRUE(room.wait_state(light_available("lamp", true)));
    ASSERT_TRUE(room.wait_event(device_event("device_recovered", "light:lamp")));
    // The fade ran from 50 to 8 over 6 s, starting when the daemon took infusion_start
    // (between sending it and seeing onset); the level was taken when it heard "Online"
    // (between publishing it and the command arriving). Dimmer is a whole percent.
    {
        const double earliest = seconds_between(infusion_seen, lamp_back) / 6.0;
        const double latest = seconds_between(infusion_sent, lamp_sent) / 6.0;
        // A Tasmota lamp fades linearly in Dimmer (curve: linear, its dialect's default: the
        // firmware's LedTable already makes Dimmer perceptual).
        const auto fade_at = [](double progress) {
            return 50.0 + (8.0 - 50.0) * std::clamp(progress, 0.0, 1.0);
        };
        const double highest = fade_at(earliest);
        const double lowest = fade_at(latest);
        const int dimmer = std::stoi(*first_back);
        EXPECT_LE(dimmer, highest + 1.0) << "stale: the level from before it went away";
        EXPECT_GE(dimmer, lowest - 1.0) << "a jump ahead of the fade";
        EXPECT_GT(dimmer, 8) << "jumped to the fade's end";
    }

    // The fade carries on from there, downwards only, and ends at deep's 8 %.
    ASSERT_TRUE(room.wait_state([](const Json& s) {
        return session_field(s, "phase") == "onset" && s["lights"]["lamp"]["fading"] == false;
    })) << room.daemon_log();
    const auto lamp_after = room.history(kLampDimmer);
    int previous = std::stoi(*first_back);
    for (std::size_t i = lamp_mark + 1; i < lamp_after.size(); ++i) {
        const int dimmer = std::stoi(lamp_after[i]);
        EXPECT_LE(dimmer, previous) << "the lamp jumped back up after returning";
        previous = dimmer;
    }
    EXPECT_EQ(lamp_after.back(), "8");

    // The strip missed the whole fade: on return it gets deep's 5 % (WLED 13/255) at once.
    EXPECT_EQ(room.history(kStripApi).size(), strip_mark) << "a command went to an offline strip";
    room.skip_to_now();
    room.publish(kStripStatus, "online", 1, true);
    auto strip = room.wait_text(kStripApi, {}, 3000ms);
    ASSERT_TRUE(strip) << "the strip got no command when it came back";
    const auto body = Json::parse(*strip);
    EXPECT_EQ(body["on"], true) << *strip;
    EXPECT_EQ(body["bri"], 13) << *strip;
    ASSERT_TRUE(room.wait_state(light_available("strip", true)));
    ASSERT_TRUE(room.wait_event(device_event("device_recovered", "light:strip")));
    EXPECT_TRUE(room.daemon().running());
}

}  // namespace
}  // namespace haven::test
