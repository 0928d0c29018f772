#include "button_router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "../button_fixture.hpp"

namespace haven::buttons {
namespace {

// The router's own room: several buttons per topic family, named as a clinic would.
std::map<std::string, config::ButtonConfig> room_buttons() {
    using device_fixtures::button;
    std::map<std::string, config::ButtonConfig> buttons;
    for (auto b : {
             button("therapist", "zigbee2mqtt", "zigbee2mqtt/therapist",
                    {{"single", "next"}, {"hold", "assist"}}),
             button("bedside", "tasmota", "bedside",
                    {{"single", "assist"}, {"button2_single", "extend 5m"}}),
             button("wall", "shelly-gen2", "wall-i4",
                    {{"single_push", "lights_up"}, {"input1_single_push", "lights_down"}}),
             button("script", "generic", "clinic/room-1/cue", {{"ack", "ack"}}),
         })
        buttons.emplace(b.id, std::move(b));
    return buttons;
}

struct Case {
    const char* name;
    std::string topic;
    std::string payload;
    std::optional<std::string> cue;  // format_cue of the expected command
    std::string button;
};

class ButtonRouterTest : public testing::TestWithParam<Case> {};

TEST_P(ButtonRouterTest, MapsVendorActionsToConfiguredCues) {
    const auto& c = GetParam();
    ButtonRouter router(room_buttons());
    const auto routed = router.route(c.topic, c.payload).cue;
    ASSERT_EQ(routed.has_value(), c.cue.has_value());
    if (c.cue) {
        EXPECT_EQ(format_cue(routed->first), *c.cue);
        EXPECT_EQ(routed->second, (CommandSource{CommandSource::Kind::button, c.button}));
    }
}

INSTANTIATE_TEST_SUITE_P(
    EveryDialect, ButtonRouterTest,
    testing::Values(
        Case{"z2m_single", "zigbee2mqtt/therapist", R"({"action":"single"})", "next", "therapist"},
        Case{"z2m_hold", "zigbee2mqtt/therapist", R"({"action":"hold"})", "assist", "therapist"},
        Case{"tasmota_button1", "stat/bedside/RESULT", R"({"Button1":{"Action":"SINGLE"}})",
             "assist", "bedside"},
        Case{"tasmota_button2", "stat/bedside/RESULT", R"({"Button2":{"Action":"SINGLE"}})",
             "extend 5m", "bedside"},
        Case{
            "shelly_input0", "wall-i4/events/rpc",
            R"({"method":"NotifyEvent","params":{"events":[{"component":"input:0","event":"single_push"}]}})",
            "lights_up", "wall"},
        Case{
            "shelly_input1", "wall-i4/events/rpc",
            R"({"method":"NotifyEvent","params":{"events":[{"component":"input:1","event":"single_push"}]}})",
            "lights_down", "wall"},
        Case{"generic", "clinic/room-1/cue", "ack", "ack", "script"},
        Case{"unmapped_action", "zigbee2mqtt/therapist", R"({"action":"double"})", std::nullopt,
             ""},
        Case{"unknown_topic", "zigbee2mqtt/stranger", R"({"action":"single"})", std::nullopt, ""}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(ButtonRouter, SaysWhyAnActionWasIgnored) {
    ButtonRouter router(room_buttons());
    const auto routed = router.route("zigbee2mqtt/therapist", R"({"action":"double"})");
    EXPECT_FALSE(routed.cue);
    EXPECT_EQ(routed.ignored, "button 'therapist': action 'double' is not in its actions");
    EXPECT_NE(router.route("stat/bedside/RESULT", "garbage").ignored.find("bedside"),
              std::string::npos);
    EXPECT_EQ(router.route("zigbee2mqtt/therapist", R"({"battery":50})").ignored, "");
}

TEST(ButtonRouter, SubscribesToEveryButtonOnce) {
    ButtonRouter router(room_buttons());
    auto topics = router.subscriptions();
    std::sort(topics.begin(), topics.end());
    EXPECT_EQ(topics, (std::vector<std::string>{"clinic/room-1/cue", "stat/bedside/RESULT",
                                                "tele/bedside/LWT", "wall-i4/events/rpc",
                                                "wall-i4/online", "zigbee2mqtt/therapist",
                                                "zigbee2mqtt/therapist/availability"}));
}

using WallTime = std::chrono::system_clock::time_point;
const WallTime t0 = WallTime{} + std::chrono::hours(24 * 365 * 56);

const ButtonStatus& status_of(const std::vector<ButtonStatus>& all, const std::string& id) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.id == id; });
    if (it == all.end()) throw std::runtime_error("no status for " + id);
    return *it;
}

TEST(ButtonRouter, StatusListsEveryButtonUnknownUntilItSpeaks) {
    ButtonRouter router(room_buttons());
    const auto all = router.status();
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[0].id, "bedside");  // id order
    EXPECT_EQ(status_of(all, "wall").driver, "shelly-gen2");
    for (const auto& s : all) {
        EXPECT_EQ(s.available, std::nullopt) << s.id;
        EXPECT_EQ(s.last_seen, std::nullopt) << s.id;
    }
}

TEST(ButtonRouter, AvailabilityFollowsEachDialectsOwnTopic) {
    struct AvailabilityCase {
        std::string button, topic, payload;
        std::optional<bool> available;
    };
    const std::vector<AvailabilityCase> cases{
        {"therapist", "zigbee2mqtt/therapist/availability", "online", true},
        {"therapist", "zigbee2mqtt/therapist/availability", R"({"state":"offline"})", false},
        {"therapist", "zigbee2mqtt/therapist/availability", R"({"state":"online"})", true},
        {"bedside", "tele/bedside/LWT", "Offline", false},
        {"bedside", "tele/bedside/LWT", "Online", true},
        {"wall", "wall-i4/online", "false", false},
        {"wall", "wall-i4/online", "true", true},
    };
    ButtonRouter router(room_buttons());
    for (const auto& c : cases) {
        const auto press = router.route(c.topic, c.payload, t0);
        EXPECT_FALSE(press.cue.has_value()) << c.topic;
        EXPECT_EQ(press.ignored, "") << c.topic;
        const auto all = router.status();
        EXPECT_EQ(status_of(all, c.button).available, c.available) << c.topic << " " << c.payload;
        // The broker sends these (often retained): they do not mean the button was seen.
        EXPECT_EQ(status_of(all, c.button).last_seen, std::nullopt) << c.topic;
    }
    // A payload that says neither leaves the last known value; generic buttons never know.
    router.route("wall-i4/online", "maybe", t0);
    EXPECT_EQ(status_of(router.status(), "wall").available, true);
    EXPECT_EQ(status_of(router.status(), "script").available, std::nullopt);
}

TEST(ButtonRouter, LastSeenIsTheTimeOfTheButtonsLastMessage) {
    ButtonRouter router(room_buttons());
    const auto press = router.route("zigbee2mqtt/therapist", R"({"action":"single"})", t0);
    ASSERT_TRUE(press.cue.has_value());
    EXPECT_EQ(press.cue->second.id, "therapist");
    // Not a press, but the device spoke: it counts.
    router.route("zigbee2mqtt/therapist", R"({"battery":80})", t0 + std::chrono::seconds(5));
    router.route("stat/bedside/RESULT", R"({"POWER":"ON"})", t0 + std::chrono::seconds(7));
    const auto all = router.status();
    EXPECT_EQ(status_of(all, "therapist").last_seen, t0 + std::chrono::seconds(5));
    EXPECT_EQ(status_of(all, "bedside").last_seen, t0 + std::chrono::seconds(7));
    EXPECT_EQ(status_of(all, "wall").last_seen, std::nullopt);
    // The timeless route() only routes.
    router.route("wall-i4/events/rpc", "{}");
    EXPECT_EQ(status_of(router.status(), "wall").last_seen, std::nullopt);
}

TEST(ButtonRouter, ActionNamesMatchWithoutCase) {
    using device_fixtures::button;
    std::map<std::string, config::ButtonConfig> buttons;
    // As config/rooms/example-tasmota.yaml maps them, in the device's own upper case.
    auto bedside =
        button("bedside", "tasmota", "bedside", {{"SINGLE", "next"}, {"HOLD", "assist"}});
    auto script = button("script", "generic", "clinic/cue", {{"ack", "ack"}});
    buttons.emplace(bedside.id, bedside);
    buttons.emplace(script.id, script);
    ButtonRouter router(buttons);
    // Tasmota with SetOption73 1 (tasmota/support_button.ino: kMultiPress "|SINGLE|DOUBLE|...",
    // GetStateText for HOLD), on stat/<topic>/RESULT.
    auto press = router.route("stat/bedside/RESULT", R"({"Button1":{"Action":"SINGLE"}})");
    ASSERT_TRUE(press.cue.has_value()) << press.ignored;
    EXPECT_EQ(format_cue(press.cue->first), "next");
    press = router.route("stat/bedside/RESULT", R"({"Button1":{"Action":"HOLD"}})");
    ASSERT_TRUE(press.cue.has_value()) << press.ignored;
    EXPECT_EQ(format_cue(press.cue->first), "assist");
    // A script that shouts is still understood.
    press = router.route("clinic/cue", "ACK");
    ASSERT_TRUE(press.cue.has_value()) << press.ignored;
    EXPECT_EQ(format_cue(press.cue->first), "ack");
}

}  // namespace
}  // namespace haven::buttons
