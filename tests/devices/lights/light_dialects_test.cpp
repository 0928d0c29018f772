// Golden payloads per dialect: the exact topic and payload each vendor expects, and the
// state/availability messages each one sends back, including malformed ones.
#include <gtest/gtest.h>

#include "light_driver.hpp"

namespace haven::lights {
namespace {

using devices::DeviceMessage;
using namespace std::chrono_literals;

config::LightConfig light(std::string driver, std::string topic, bool color_temp = false,
                          double min_level = 1) {
    return {.id = "ceiling",
            .driver = std::move(driver),
            .topic = std::move(topic),
            .color_temp = color_temp,
            .min_level = min_level};
}

// A Shelly Pro Dimmer 2PM's second output: the Light component with id 1 (Shelly API docs,
// Light component: Light.Set params "id", status topic <topic>/status/light:<id>).
config::LightConfig shelly_channel(int channel) {
    auto dimmer = light("shelly-gen2", "s");
    dimmer.channel = channel;
    return dimmer;
}

// A Home Assistant MQTT JSON light set up with its own options (HA's MQTT light docs:
// command_topic, state_topic, brightness_scale, color_temp_kelvin).
config::LightConfig ha_json_configured() {
    auto desk = light("ha-json", "home/desk", true);
    desk.json_schema = {.brightness_scale = 100,
                        .color_temp_kelvin = true,
                        .command_topic = "home/desk/cmd",
                        .state_topic = "home/desk/state"};
    return desk;
}

config::LightConfig rgbw2_white(int channel) {
    auto strip = light("shelly-gen1", "shellies/rgbw2");
    strip.component = "white";
    strip.channel = channel;
    return strip;
}

config::LightConfig wled_segment(int segment) {
    auto strip = light("wled", "w", true);
    strip.segment = segment;
    return strip;
}

config::LightConfig wled_with_whites(int warm, int cold) {
    auto strip = light("wled", "w", true);
    strip.white_range = {.warm_kelvin = warm, .cold_kelvin = cold};
    return strip;
}

struct CommandCase {
    const char* name;
    config::LightConfig config;
    double level;
    std::optional<int> kelvin;
    Millis transition;
    std::vector<DeviceMessage> expected;
};

class LightCommandTest : public testing::TestWithParam<CommandCase> {};

TEST_P(LightCommandTest, SendsTheVendorsExactPayload) {
    const auto& c = GetParam();
    auto driver = make_driver(c.config, "haven-room-1");
    EXPECT_EQ(driver->command(c.level, c.kelvin, c.transition), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Dialects, LightCommandTest,
    testing::Values(
        CommandCase{"z2m_on_with_ct_and_glide",
                    light("zigbee2mqtt", "zigbee2mqtt/ceiling", true),
                    30,
                    2700,
                    250ms,
                    {{"zigbee2mqtt/ceiling/set",
                      R"({"state":"ON","brightness":76,"color_temp":370,"transition":0.25})"}}},
        CommandCase{"z2m_off",
                    light("zigbee2mqtt", "z/l"),
                    0,
                    std::nullopt,
                    0ms,
                    {{"z/l/set", R"({"state":"OFF"})"}}},
        CommandCase{"z2m_kelvin_dropped_without_color_temp",
                    light("zigbee2mqtt", "z/l"),
                    100,
                    2700,
                    0ms,
                    {{"z/l/set", R"({"state":"ON","brightness":254})"}}},
        CommandCase{"z2m_min_level_raises_a_dim_step",
                    light("zigbee2mqtt", "z/l", false, 5),
                    0.5,
                    std::nullopt,
                    0ms,
                    {{"z/l/set", R"({"state":"ON","brightness":13})"}}},
        CommandCase{"z2m_tiny_level_is_never_off",
                    light("zigbee2mqtt", "z/l", false, 0),
                    0.01,
                    std::nullopt,
                    0ms,
                    {{"z/l/set", R"({"state":"ON","brightness":1})"}}},
        // One Backlog0, Dimmer first: a bare CT would power a dark light on at its stored
        // brightness (tasmota/support_command.ino CmndBacklog: Backlog0 runs with no delay).
        CommandCase{"tasmota_dimmer_with_ct",
                    light("tasmota", "dimmer1", true),
                    42.4,
                    2700,
                    250ms,
                    {{"cmnd/dimmer1/Backlog0", "Dimmer 42; CT 370"}}},
        CommandCase{"tasmota_dimmer_without_ct_is_one_plain_command",
                    light("tasmota", "dimmer1", false),
                    42.4,
                    2700,
                    0ms,
                    {{"cmnd/dimmer1/Dimmer", "42"}}},
        CommandCase{"tasmota_ct_clamped_to_range",
                    light("tasmota", "d", true),
                    10,
                    10000,
                    0ms,
                    {{"cmnd/d/Backlog0", "Dimmer 10; CT 153"}}},
        CommandCase{"tasmota_off",
                    light("tasmota", "dimmer1"),
                    0,
                    std::nullopt,
                    0ms,
                    {{"cmnd/dimmer1/Power", "OFF"}}},
        CommandCase{"tasmota_min_level",
                    light("tasmota", "d", false, 8),
                    2,
                    std::nullopt,
                    0ms,
                    {{"cmnd/d/Dimmer", "8"}}},
        CommandCase{
            "shelly_light_set",
            light("shelly-gen2", "shellies/dimmer"),
            30,
            2700,
            500ms,
            {{"shellies/dimmer/rpc",
              R"({"id":1,"src":"haven-room-1","method":"Light.Set","params":{"id":0,"on":true,"brightness":30,"transition_duration":0.5}})"}}},
        CommandCase{
            "shelly_off",
            light("shelly-gen2", "s"),
            0,
            std::nullopt,
            0ms,
            {{"s/rpc",
              R"({"id":1,"src":"haven-room-1","method":"Light.Set","params":{"id":0,"on":false}})"}}},
        CommandCase{
            "shelly_cct_for_color_temp",
            light("shelly-gen2", "s", true),
            50,
            3000,
            0ms,
            {{"s/rpc",
              R"({"id":1,"src":"haven-room-1","method":"CCT.Set","params":{"id":0,"on":true,"brightness":50,"ct":3000}})"}}},
        CommandCase{
            "shelly_second_channel",
            shelly_channel(1),
            40,
            std::nullopt,
            0ms,
            {{"s/rpc",
              R"({"id":1,"src":"haven-room-1","method":"Light.Set","params":{"id":1,"on":true,"brightness":40}})"}}},
        // ESPHome reads "transition" only as a whole number (light_json_schema.cpp parse_json:
        // root["transition"].is<uint16_t>()), on <node>/light/<name>/command.
        CommandCase{"esphome_whole_second_transition",
                    light("esphome", "node/light/ceiling", true),
                    50,
                    2700,
                    1000ms,
                    {{"node/light/ceiling/command",
                      R"({"state":"ON","brightness":128,"color_temp":370,"transition":1})"}}},
        CommandCase{"ha_json_with_its_own_topics_scale_and_kelvin",
                    ha_json_configured(),
                    50,
                    2700,
                    250ms,
                    {{"home/desk/cmd",
                      R"({"state":"ON","brightness":50,"color_temp":2700,"transition":0.25})"}}},
        // Shelly Gen1 Dimmer 2 / Duo (API docs: shellies/<id>/light/<i>/set {"turn",
        // "brightness" 1..100, "transition" ms up to 5000, Duo "temp" 2700..6500}).
        CommandCase{"shelly_gen1_duo",
                    light("shelly-gen1", "shellies/shellybulbduo-1", true),
                    30,
                    2000,
                    8000ms,
                    {{"shellies/shellybulbduo-1/light/0/set",
                      R"({"turn":"on","brightness":30,"temp":2700,"transition":5000})"}}},
        CommandCase{"shelly_gen1_rgbw2_white_channel",
                    rgbw2_white(2),
                    0,
                    std::nullopt,
                    0ms,
                    {{"shellies/rgbw2/white/2/set", R"({"turn":"off"})"}}},
        CommandCase{"wled_on_with_tt",
                    light("wled", "wled/strip"),
                    50,
                    std::nullopt,
                    250ms,
                    {{"wled/strip/api", R"({"on":true,"bri":128,"tt":3})"}}},
        // WLED's "cct" is 0 (warm white) .. 255 (cold white) of the strip's own whites; kelvin
        // would be mapped over 1900..10091 K instead (wled00/FX_segment.cpp Segment::setCCT).
        CommandCase{"wled_cct_warm_end",
                    light("wled", "w", true),
                    100,
                    2700,
                    0ms,
                    {{"w/api", R"({"on":true,"bri":255,"seg":[{"id":0,"cct":0}]})"}}},
        CommandCase{"wled_cct_cold_end_and_beyond",
                    light("wled", "w", true),
                    100,
                    9000,
                    0ms,
                    {{"w/api", R"({"on":true,"bri":255,"seg":[{"id":0,"cct":255}]})"}}},
        CommandCase{"wled_cct_midway_in_mireds",
                    wled_with_whites(2000, 5000),
                    100,
                    2857,  // 350.02 mired: just warm of halfway between 500 and 200
                    0ms,
                    {{"w/api", R"({"on":true,"bri":255,"seg":[{"id":0,"cct":127}]})"}}},
        // A segment of a shared strip: the level goes to the segment (wled00/json.cpp
        // deserializeSegment "bri"/"on"/"cct"), the strip stays on at full.
        CommandCase{
            "wled_segment",
            wled_segment(2),
            50,
            2700,
            250ms,
            {{"w/api",
              R"({"on":true,"bri":255,"tt":3,"seg":[{"id":2,"on":true,"bri":128,"cct":0}]})"}}},
        CommandCase{"wled_segment_off",
                    wled_segment(1),
                    0,
                    std::nullopt,
                    0ms,
                    {{"w/api", R"({"on":true,"bri":255,"seg":[{"id":1,"on":false}]})"}}},
        CommandCase{"wled_off",
                    light("wled", "w"),
                    0,
                    std::nullopt,
                    1000ms,
                    {{"w/api", R"({"on":false,"tt":10})"}}},
        CommandCase{"ha_json_on",
                    light("ha-json", "home/lamp", true),
                    20,
                    4000,
                    250ms,
                    {{"home/lamp/set",
                      R"({"state":"ON","brightness":51,"color_temp":250,"transition":0.25})"}}},
        CommandCase{"ha_json_off",
                    light("ha-json", "home/lamp"),
                    0,
                    std::nullopt,
                    0ms,
                    {{"home/lamp/set", R"({"state":"OFF"})"}}}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(ShellyGen2Light, NumbersEachRequest) {
    auto driver = make_driver(light("shelly-gen2", "s"), "haven-x");
    driver->command(10, std::nullopt, 0ms);
    const auto second = driver->command(10, std::nullopt, 0ms);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_NE(second[0].payload.find(R"("id":2,)"), std::string::npos) << second[0].payload;
}

struct FeedbackCase {
    const char* name;
    config::LightConfig config;
    std::string topic;
    std::string payload;
    std::optional<LightFeedback> expected;
    bool ignored_with_reason;
};

class LightFeedbackTest : public testing::TestWithParam<FeedbackCase> {};

TEST_P(LightFeedbackTest, ReadsStateTolerantly) {
    const auto& c = GetParam();
    auto driver = make_driver(c.config);
    FeedbackParse parse;
    ASSERT_NO_THROW(parse = driver->on_message(c.topic, c.payload));
    ASSERT_EQ(parse.feedback.has_value(), c.expected.has_value()) << parse.ignored;
    if (c.expected) {
        EXPECT_EQ(parse.feedback->available, c.expected->available);
        EXPECT_EQ(parse.feedback->kelvin, c.expected->kelvin);
        ASSERT_EQ(parse.feedback->level.has_value(), c.expected->level.has_value());
        if (c.expected->level) {
            EXPECT_NEAR(*parse.feedback->level, *c.expected->level, 0.01);
        }
    }
    EXPECT_EQ(!parse.ignored.empty(), c.ignored_with_reason) << parse.ignored;
}

LightFeedback level(double value, std::optional<int> kelvin = std::nullopt) {
    return {.level = value, .kelvin = kelvin};
}
LightFeedback availability(bool value) {
    return {.available = value};
}

INSTANTIATE_TEST_SUITE_P(
    Dialects, LightFeedbackTest,
    testing::Values(
        FeedbackCase{"z2m_state", light("zigbee2mqtt", "z/l"), "z/l",
                     R"({"state":"ON","brightness":127,"color_temp":370,"linkquality":80})",
                     level(50, 2703), false},
        FeedbackCase{"z2m_off_wins_over_brightness", light("zigbee2mqtt", "z/l"), "z/l",
                     R"({"state":"OFF","brightness":127})", level(0), false},
        FeedbackCase{"z2m_plain_availability", light("zigbee2mqtt", "z/l"), "z/l/availability",
                     "offline", availability(false), false},
        FeedbackCase{"z2m_json_availability", light("zigbee2mqtt", "z/l"), "z/l/availability",
                     R"({"state":"online"})", availability(true), false},
        FeedbackCase{"z2m_garbage_state", light("zigbee2mqtt", "z/l"), "z/l", "{not json",
                     std::nullopt, true},
        FeedbackCase{"z2m_weird_state_word", light("zigbee2mqtt", "z/l"), "z/l",
                     R"({"state":"MAYBE"})", std::nullopt, true},
        FeedbackCase{"z2m_garbage_availability", light("zigbee2mqtt", "z/l"), "z/l/availability",
                     "sleepy", std::nullopt, true},
        FeedbackCase{"z2m_other_topic_is_not_ours", light("zigbee2mqtt", "z/l"), "z/other", "{}",
                     std::nullopt, false},
        FeedbackCase{"tasmota_result", light("tasmota", "d"), "stat/d/RESULT",
                     R"({"POWER":"ON","Dimmer":42})", level(42), false},
        FeedbackCase{"tasmota_tele_state_off", light("tasmota", "d"), "tele/d/STATE",
                     R"({"Time":"x","POWER":"OFF","Dimmer":42,"CT":250})", level(0, 4000), false},
        FeedbackCase{"tasmota_lwt", light("tasmota", "d"), "tele/d/LWT", "Offline",
                     availability(false), false},
        FeedbackCase{"tasmota_unrelated_result", light("tasmota", "d"), "stat/d/RESULT",
                     R"({"Fade":"ON"})", std::nullopt, true},
        FeedbackCase{"tasmota_dimmer_as_text", light("tasmota", "d"), "stat/d/RESULT",
                     R"({"Dimmer":"lots"})", std::nullopt, true},
        FeedbackCase{"shelly_status", light("shelly-gen2", "s"), "s/status/light:0",
                     R"({"id":0,"source":"rpc","output":true,"brightness":30})", level(30), false},
        FeedbackCase{"shelly_second_channel_status", shelly_channel(1), "s/status/light:1",
                     R"({"id":1,"source":"rpc","output":true,"brightness":40})", level(40), false},
        FeedbackCase{
            "shelly_second_channel_ignores_the_first", shelly_channel(1), "s/events/rpc",
            R"({"src":"shelly","method":"NotifyStatus","params":{"ts":1.5,"light:0":{"id":0,"output":false}}})",
            std::nullopt, true},
        FeedbackCase{
            "esphome_state", light("esphome", "node/light/ceiling"), "node/light/ceiling/state",
            R"({"state":"ON","color_mode":"brightness","brightness":255})", level(100), false},
        FeedbackCase{"esphome_node_offline", light("esphome", "node/light/ceiling"), "node/status",
                     "offline", availability(false), false},
        FeedbackCase{"ha_json_configured_state", ha_json_configured(), "home/desk/state",
                     R"({"state":"ON","brightness":25,"color_temp":3000})", level(25, 3000), false},
        FeedbackCase{
            "shelly_gen1_status", light("shelly-gen1", "shellies/d2"), "shellies/d2/light/0/status",
            R"({"ison":true,"source":"mqtt","has_timer":false,"brightness":42})", level(42), false},
        FeedbackCase{"shelly_gen1_white_off", rgbw2_white(1), "shellies/rgbw2/white/1/status",
                     R"({"ison":false,"brightness":42})", level(0), false},
        FeedbackCase{"shelly_gen1_online", light("shelly-gen1", "shellies/d2"),
                     "shellies/d2/online", "false", availability(false), false},
        FeedbackCase{
            "shelly_notify_off", light("shelly-gen2", "s"), "s/events/rpc",
            R"({"src":"shelly","method":"NotifyStatus","params":{"ts":1.5,"light:0":{"id":0,"output":false}}})",
            level(0), false},
        FeedbackCase{"shelly_notify_other_component", light("shelly-gen2", "s"), "s/events/rpc",
                     R"({"method":"NotifyStatus","params":{"sys":{"uptime":5}}})", std::nullopt,
                     true},
        FeedbackCase{"shelly_online", light("shelly-gen2", "s"), "s/online", "true",
                     availability(true), false},
        FeedbackCase{"shelly_output_not_bool", light("shelly-gen2", "s"), "s/status/light:0",
                     R"({"output":"yes"})", std::nullopt, true},
        FeedbackCase{"wled_brightness", light("wled", "w"), "w/g", "255", level(100), false},
        FeedbackCase{"wled_off", light("wled", "w"), "w/g", "0", level(0), false},
        FeedbackCase{"wled_status", light("wled", "w"), "w/status", "offline", availability(false),
                     false},
        FeedbackCase{"wled_not_a_number", light("wled", "w"), "w/g", "12abc", std::nullopt, true},
        FeedbackCase{"wled_out_of_range", light("wled", "w"), "w/g", "300", std::nullopt, true},
        FeedbackCase{"ha_json_state", light("ha-json", "h"), "h",
                     R"({"state":"ON","brightness":255})", level(100), false},
        FeedbackCase{"ha_json_array_payload", light("ha-json", "h"), "h", "[1,2]", std::nullopt,
                     true}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(LightDriverFactory, RefusesUnknownDriverWithItsName) {
    try {
        make_driver(light("hue-bridge", "x"));
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("hue-bridge"), std::string::npos);
    }
}

TEST(LightDriverFactory, EveryListedNameBuilds) {
    for (const auto& name : light_driver_names())
        EXPECT_NE(make_driver(light(name, "t")), nullptr);
}

TEST(LightDriver, DeviceLevelReflectsResolutionAndMinLevel) {
    auto tasmota = make_driver(light("tasmota", "d", false, 5));
    EXPECT_EQ(tasmota->device_level(0), 0);
    EXPECT_EQ(tasmota->device_level(0.2), 5);
    EXPECT_EQ(tasmota->device_level(42.4), 42);
    auto z2m = make_driver(light("zigbee2mqtt", "z"));
    EXPECT_NEAR(z2m->device_level(50), 127.0 / 254 * 100, 1e-9);
}

}  // namespace
}  // namespace haven::lights
