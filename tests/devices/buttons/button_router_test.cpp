#include "button_router.hpp"

#include <gtest/gtest.h>

namespace haven::buttons {
namespace {

Command cue(std::string_view text) {
    return *parse_cue(text).command;
}

std::map<std::string, config::ButtonConfig> room_buttons() {
    std::map<std::string, config::ButtonConfig> buttons;
    buttons["therapist"] = {.id = "therapist",
                            .driver = "zigbee2mqtt",
                            .topic = "zigbee2mqtt/therapist",
                            .actions = {{"single", cue("next")}, {"hold", cue("assist")}}};
    buttons["bedside"] = {
        .id = "bedside",
        .driver = "tasmota",
        .topic = "bedside",
        .actions = {{"single", cue("assist")}, {"button2_single", cue("extend 5m")}}};
    buttons["wall"] = {
        .id = "wall",
        .driver = "shelly-gen2",
        .topic = "wall-i4",
        .actions = {{"single_push", cue("lights_up")}, {"input1_single_push", cue("lights_down")}}};
    buttons["script"] = {.id = "script",
                         .driver = "generic",
                         .topic = "clinic/room-1/cue",
                         .actions = {{"ack", cue("ack")}}};
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
    const auto routed = router.on_message(c.topic, c.payload);
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
                                                "wall-i4/events/rpc", "zigbee2mqtt/therapist"}));
}

}  // namespace
}  // namespace haven::buttons
