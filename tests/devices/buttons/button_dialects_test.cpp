// Per-dialect golden tests: the press messages each vendor sends, the action names Haven
// reads from them, and the malformed or non-press messages it must shrug off.
#include <gtest/gtest.h>

#include "button_driver.hpp"

namespace haven::buttons {
namespace {

config::ButtonConfig button(std::string driver, std::string topic) {
    return {.id = "therapist", .driver = std::move(driver), .topic = std::move(topic)};
}

struct Case {
    const char* name;
    config::ButtonConfig config;
    std::string topic;
    std::string payload;
    std::vector<std::string> actions;
    bool ignored_with_reason;
};

class ButtonDialectTest : public testing::TestWithParam<Case> {};

TEST_P(ButtonDialectTest, ReadsActions) {
    const auto& c = GetParam();
    auto driver = make_button_driver(c.config);
    ButtonParse parse;
    ASSERT_NO_THROW(parse = driver->on_message(c.topic, c.payload));
    EXPECT_EQ(parse.actions, c.actions);
    EXPECT_EQ(!parse.ignored.empty(), c.ignored_with_reason) << parse.ignored;
}

using V = std::vector<std::string>;

INSTANTIATE_TEST_SUITE_P(
    Dialects, ButtonDialectTest,
    testing::Values(
        Case{"z2m_single", button("zigbee2mqtt", "zigbee2mqtt/cue"), "zigbee2mqtt/cue",
             R"({"action":"single","battery":90,"linkquality":120})", V{"single"}, false},
        Case{"z2m_model_specific", button("zigbee2mqtt", "z/cue"), "z/cue",
             R"({"action":"brightness_up_click"})", V{"brightness_up_click"}, false},
        Case{"z2m_empty_action_is_not_a_press", button("zigbee2mqtt", "z/cue"), "z/cue",
             R"({"action":""})", V{}, false},
        Case{"z2m_battery_report", button("zigbee2mqtt", "z/cue"), "z/cue", R"({"battery":80})",
             V{}, false},
        Case{"z2m_garbage", button("zigbee2mqtt", "z/cue"), "z/cue", "single", V{}, true},
        Case{"z2m_action_not_string", button("zigbee2mqtt", "z/cue"), "z/cue", R"({"action":5})",
             V{}, true},
        Case{"z2m_other_topic", button("zigbee2mqtt", "z/cue"), "z/other", R"({"action":"single"})",
             V{}, false},
        Case{"tasmota_button1", button("tasmota", "bedside"), "stat/bedside/RESULT",
             R"({"Button1":{"Action":"SINGLE"}})", V{"button1_single", "single"}, false},
        Case{"tasmota_button2_double", button("tasmota", "bedside"), "stat/bedside/RESULT",
             R"({"Button2":{"Action":"DOUBLE"}})", V{"button2_double"}, false},
        Case{"tasmota_switch_hold", button("tasmota", "bedside"), "stat/bedside/RESULT",
             R"({"Switch1":{"Action":"HOLD"}})", V{"switch1_hold", "hold"}, false},
        Case{"tasmota_command_reply", button("tasmota", "bedside"), "stat/bedside/RESULT",
             R"({"POWER":"ON"})", V{}, false},
        Case{"tasmota_button_without_action", button("tasmota", "bedside"), "stat/bedside/RESULT",
             R"({"Button1":"SINGLE"})", V{}, true},
        Case{"tasmota_not_json", button("tasmota", "bedside"), "stat/bedside/RESULT", "SINGLE", V{},
             true},
        Case{
            "shelly_single_push", button("shelly-gen2", "shellyi4"), "shellyi4/events/rpc",
            R"({"src":"shellyi4","dst":"shellyi4/events","method":"NotifyEvent","params":{"ts":1.2,"events":[{"component":"input:0","id":0,"event":"single_push","ts":1.2}]}})",
            V{"input0_single_push", "single_push"}, false},
        Case{
            "shelly_input2_long_push", button("shelly-gen2", "s"), "s/events/rpc",
            R"({"method":"NotifyEvent","params":{"events":[{"component":"input:2","id":2,"event":"long_push"}]}})",
            V{"input2_long_push"}, false},
        // Shelly Gen1 (API docs, i3 "MQTT": shellies/<id>/input_event/<i> {"event","event_cnt"}).
        Case{"shelly_gen1_single", button("shelly-gen1", "shellies/shellyix3-1"),
             "shellies/shellyix3-1/input_event/0", R"({"event":"S","event_cnt":4})",
             V{"input0_single", "single"}, false},
        Case{"shelly_gen1_input2_long", button("shelly-gen1", "shellies/i3"),
             "shellies/i3/input_event/2", R"({"event":"L","event_cnt":9})", V{"input2_long"},
             false},
        Case{"shelly_gen1_not_pressed_since_boot", button("shelly-gen1", "shellies/i3"),
             "shellies/i3/input_event/0", R"({"event":"","event_cnt":0})", V{}, false},
        Case{"shelly_gen1_unknown_event", button("shelly-gen1", "shellies/i3"),
             "shellies/i3/input_event/1", R"({"event":"SSSS","event_cnt":2})", V{}, true},
        Case{"shelly_status_is_not_a_press", button("shelly-gen2", "s"), "s/events/rpc",
             R"({"method":"NotifyStatus","params":{"input:0":{"state":true}}})", V{}, false},
        Case{"shelly_events_not_a_list", button("shelly-gen2", "s"), "s/events/rpc",
             R"({"method":"NotifyEvent","params":{"events":"single_push"}})", V{}, true},
        // Found by fuzz_button_message: non-string fields used to throw out of on_message.
        Case{"shelly_method_not_text", button("shelly-gen2", "s"), "s/events/rpc",
             R"({"method":7,"params":{"events":[{"component":"input:0","event":"single_push"}]}})",
             V{}, false},
        Case{
            "shelly_component_not_text", button("shelly-gen2", "s"), "s/events/rpc",
            R"({"method":"NotifyEvent","params":{"events":[{"component":[1],"event":"single_push"}]}})",
            V{}, false},
        Case{"generic_exact", button("generic", "room/cue"), "room/cue", "ASSIST\n", V{"ASSIST"},
             false},
        Case{"generic_empty", button("generic", "room/cue"), "room/cue", "  ", V{}, true}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(ButtonDriverFactory, RefusesUnknownDriver) {
    EXPECT_THROW(make_button_driver(button("hue", "x")), std::invalid_argument);
    for (const auto& name : button_driver_names())
        EXPECT_NE(make_button_driver(button(name, "t")), nullptr);
}

}  // namespace
}  // namespace haven::buttons
