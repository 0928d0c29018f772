// The fade engine on an injected clock: step timing, the perceptual curve, interruption,
// hour-long fades, scene semantics, min_level and availability.
#include "light_rig.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lightness.hpp"

namespace haven::lights {
namespace {

using namespace std::chrono_literals;
using devices::DeviceMessage;

config::LightConfig z2m(std::string id, bool color_temp = false, double min_level = 1) {
    return {.id = id,
            .driver = "zigbee2mqtt",
            .topic = "z2m/" + id,
            .color_temp = color_temp,
            .min_level = min_level};
}

config::LightConfig tasmota(std::string id, double min_level = 1) {
    return {.id = id, .driver = "tasmota", .topic = id, .min_level = min_level};
}

// Zigbee2MQTT's dialect steps a fade once a second (bulbs fall behind at more), and each step
// leads the curve by that interval, gliding there with the bulb's own transition.
constexpr Millis kZigbeeStep{1000};

// Where a fade of `span` should be when a step sent at `at` has finished its glide.
double progress_after_glide(Millis at, Millis span, Millis step = kZigbeeStep) {
    return std::min(1.0, static_cast<double>((at + step).count()) / span.count());
}

std::map<std::string, config::LightConfig> rig_of(std::vector<config::LightConfig> lights) {
    std::map<std::string, config::LightConfig> out;
    for (auto& light : lights)
        out[light.id] = light;
    return out;
}

struct Step {
    Millis at;
    DeviceMessage message;
    double level() const {  // percent, from a zigbee2mqtt payload
        auto json = nlohmann::json::parse(message.payload);
        if (json["state"] == "OFF") return 0;
        return json["brightness"].get<double>() / 254.0 * 100.0;
    }
};

// Runs the rig the way the daemon does: sleep until next_wake(), advance, repeat.
std::vector<Step> run_until_rest(LightRig& rig, Millis limit = 10h) {
    std::vector<Step> steps;
    while (auto wake = rig.next_wake()) {
        if (*wake > limit) break;
        for (auto& message : rig.advance(*wake))
            steps.push_back({*wake, std::move(message)});
    }
    return steps;
}

TEST(LightRig, FadeOfZeroIsOneStep) {
    LightRig rig(rig_of({z2m("ceiling")}));
    rig.apply_scene({{"ceiling", {40, std::nullopt}}}, 0ms, 1000ms);
    EXPECT_EQ(rig.next_wake(), 1000ms);
    const auto steps = rig.advance(1000ms);
    ASSERT_EQ(steps.size(), 1u);
    EXPECT_EQ(steps[0],
              (DeviceMessage{"z2m/ceiling/set", R"({"state":"ON","brightness":102})", 1}));
    EXPECT_EQ(rig.next_wake(), std::nullopt);
}

TEST(LightRig, TenMinuteFadeIsMonotonicSmallEvenAndExact) {
    LightRig rig(rig_of({z2m("ceiling")}));
    rig.apply_scene({{"ceiling", {100, std::nullopt}}}, 0ms, 0ms);
    rig.advance(0ms);
    rig.apply_scene({{"ceiling", {5, std::nullopt}}}, 10min, 0ms);
    const auto steps = run_until_rest(rig);
    ASSERT_GT(steps.size(), 100u);
    double previous = 100;
    Millis previous_at = 0ms;
    for (const auto& step : steps) {
        EXPECT_LE(step.level(), previous) << "not monotonic at " << step.at.count();
        EXPECT_LE(previous - step.level(), 0.5) << "step too large at " << step.at.count();
        if (step.at > 0ms) {
            EXPECT_GE(step.at - previous_at, kZigbeeStep) << "steps too frequent";
        }
        // On the perceptual curve, within the device's resolution (1/254).
        const double progress = progress_after_glide(step.at, 10min);
        EXPECT_NEAR(step.level(), perceptual_fade_level(100, 5, progress), 0.4)
            << "off the L* curve at " << step.at.count();
        previous = step.level();
        previous_at = step.at;
    }
    EXPECT_EQ(steps.back().at, Millis(10min));
    EXPECT_EQ(steps.back().message.payload, R"({"state":"ON","brightness":13,"transition":1.0})");
    EXPECT_EQ(steps.back().message.qos, 1);
}

// Each dialect's rate: Zigbee once a second, WLED and Tasmota four times, never faster.
TEST(LightRig, NoLightIsSteppedFasterThanItsDialectAllows) {
    auto strip = config::LightConfig{.id = "strip", .driver = "wled", .topic = "wled"};
    LightRig rig(rig_of({z2m("ceiling"), tasmota("lamp"), strip}));
    const std::map<std::string, config::LightTarget> up{
        {"ceiling", {100, {}}}, {"lamp", {100, {}}}, {"strip", {100, {}}}};
    rig.apply_scene(up, 2min, 0ms);
    std::map<std::string, std::vector<Millis>> sent;
    for (const auto& step : run_until_rest(rig))
        sent[step.message.topic.substr(0, step.message.topic.find('/'))].push_back(step.at);
    const std::map<std::string, Millis> interval{{"z2m", 1000ms}, {"cmnd", 250ms}, {"wled", 250ms}};
    for (const auto& [device, times] : sent) {
        ASSERT_GT(times.size(), 50u) << device;
        for (std::size_t i = 1; i < times.size(); ++i)
            EXPECT_GE(times[i] - times[i - 1], interval.at(device)) << device << " at " << i;
    }
    EXPECT_EQ(sent.size(), 3u);
}

// Dimmer value of a Tasmota step: "Dimmer N" on cmnd/<topic>/Dimmer.
double tasmota_dimmer(const DeviceMessage& message) {
    return message.topic.ends_with("/Power") ? 0 : std::stod(message.payload);
}

// Tasmota's LedTable already maps Dimmer perceptually: its default curve is linear, so the
// fade's halfway point is the halfway level, not L*'s (which is far darker: about 18 %).
TEST(LightRig, TasmotaFadesLinearlyByDefaultBecauseTheDeviceCorrectsItself) {
    LightRig rig(rig_of({tasmota("lamp")}));
    rig.apply_scene({{"lamp", {100, std::nullopt}}}, 0ms, 0ms);
    rig.advance(0ms);
    rig.apply_scene({{"lamp", {0, std::nullopt}}}, 100s, 0ms);
    for (const auto& step : run_until_rest(rig)) {
        const double progress = static_cast<double>(step.at.count()) / Millis(100s).count();
        EXPECT_NEAR(tasmota_dimmer(step.message), 100 * (1 - progress), 1.0)
            << "off the straight line at " << step.at.count();
    }
}

TEST(LightRig, ACurveSetOnTheLightOverridesTheDialects) {
    auto lamp = tasmota("lamp");
    lamp.curve = config::LightCurve::lightness;  // a Tasmota with LedTable 0
    auto ceiling = z2m("ceiling");
    ceiling.curve = config::LightCurve::linear;  // a bulb with its own gamma
    LightRig rig(rig_of({lamp, ceiling}));
    rig.apply_scene({{"lamp", {100, std::nullopt}}, {"ceiling", {100, std::nullopt}}}, 0ms, 0ms);
    rig.advance(0ms);
    rig.apply_scene({{"lamp", {0, std::nullopt}}, {"ceiling", {0, std::nullopt}}}, 100s, 0ms);
    bool saw_lamp = false, saw_ceiling = false;
    for (const auto& step : run_until_rest(rig)) {
        const double progress = static_cast<double>(step.at.count()) / Millis(100s).count();
        if (step.message.topic.starts_with("cmnd/lamp/")) {  // Tasmota: 250 ms steps
            saw_lamp = true;
            EXPECT_NEAR(tasmota_dimmer(step.message), perceptual_fade_level(100, 0, progress), 1.5)
                << "whole-percent Dimmer: within 1.5";
        } else {
            saw_ceiling = true;
            EXPECT_NEAR(step.level(), 100 * (1 - progress_after_glide(step.at, 100s)), 0.5);
        }
    }
    EXPECT_TRUE(saw_lamp);
    EXPECT_TRUE(saw_ceiling);
}

// A loaded machine wakes the loop late now and then. The steps keep to the fade's grid
// (start + k x interval; 1 s for Zigbee), so one late wake-up does not push the rest of the
// fade back, and steps missed during a long stall are skipped rather than sent in a burst.
TEST(LightRig, LateWakeUpsDoNotShiftTheFadesStepGrid) {
    LightRig rig(rig_of({z2m("ceiling")}));
    rig.apply_scene({{"ceiling", {80, std::nullopt}}}, 8000ms, 0ms);
    EXPECT_EQ(rig.next_wake(), 0ms);
    rig.advance(0ms);
    EXPECT_EQ(rig.next_wake(), 1000ms);
    rig.advance(1012ms);  // 12 ms late
    EXPECT_EQ(rig.next_wake(), 2000ms) << "the grid, not 1012 + 1000";
    EXPECT_EQ(rig.advance(5130ms).size(), 1u) << "a stall past three steps sends one";
    EXPECT_EQ(rig.next_wake(), 6000ms);
}

TEST(LightRig, LStarIsEvenNotLinearDuty) {
    LightRig rig(rig_of({z2m("ceiling", false, 0)}));
    rig.apply_scene({{"ceiling", {100, std::nullopt}}}, 100s, 0ms);
    const auto steps = run_until_rest(rig);
    // Halfway through in time, a linear fade would be at 50 %; an L*-even one near 18 %. The
    // step sent at 49 s glides to where the fade is at 50 s.
    const auto half =
        std::find_if(steps.begin(), steps.end(), [](const Step& s) { return s.at >= 49s; });
    ASSERT_NE(half, steps.end());
    ASSERT_EQ(half->at, 49s);
    EXPECT_NEAR(half->level(), 18.4, 0.5);
    EXPECT_EQ(steps.back().level(), 100);
}

TEST(LightRig, HourLongFadeSendsOnlyChangesAtAModestRate) {
    LightRig rig(rig_of({z2m("ceiling", false, 0)}));
    rig.apply_scene({{"ceiling", {100, std::nullopt}}}, 1h, 0ms);
    const auto steps = run_until_rest(rig);
    EXPECT_LE(steps.size(), 254u + 1);  // each distinct brightness once, plus the confirmation
    EXPECT_GT(steps.size(), 200u);
    for (std::size_t i = 1; i < steps.size(); ++i) {
        // Only changes are sent; the last step repeats the end level once with QoS 1.
        if (i + 1 < steps.size()) {
            EXPECT_NE(steps[i].message.payload, steps[i - 1].message.payload);
        }
        EXPECT_LE(steps[i].level() - steps[i - 1].level(), 1.0);
    }
    EXPECT_EQ(steps.back().at, Millis(1h));
    EXPECT_EQ(steps.back().level(), 100);
    EXPECT_EQ(steps.back().message.qos, 1);
    EXPECT_DOUBLE_EQ(rig.levels().at("ceiling").level, 100);
}

TEST(LightRig, InterruptionContinuesFromWhereTheLightIs) {
    LightRig rig(rig_of({z2m("ceiling")}));
    rig.apply_scene({{"ceiling", {100, std::nullopt}}}, 10s, 0ms);
    const auto first = run_until_rest(rig, 5s);
    ASSERT_FALSE(first.empty());
    // Where the light is now (the last step sent leads the curve by one interval).
    const double at_interrupt = rig.levels().at("ceiling").level;
    rig.apply_scene({{"ceiling", {0, std::nullopt}}}, 10s, 5s);
    const auto second = run_until_rest(rig);
    ASSERT_FALSE(second.empty());
    ASSERT_GE(second.size(), 3u);
    // The new fade starts where the light was: its first step is the new curve's first step
    // from there (one Zigbee interval of a 10 s fade), within one device quantum (1/254).
    EXPECT_LE(second.front().level(), at_interrupt);
    EXPECT_NEAR(second.front().level(), perceptual_fade_level(at_interrupt, 0, 0.1), 100.0 / 254)
        << "jumped on interruption";
    EXPECT_EQ(second.back().message.payload, R"({"state":"OFF","transition":1.0})");
    EXPECT_EQ(second.back().at, 15s);
}

TEST(LightRig, UnnamedLightsKeepTheirLevelAndSceneLightsEndTogether) {
    LightRig rig(rig_of({z2m("a"), z2m("b"), z2m("c")}));
    rig.apply_scene({{"a", {50, {}}}, {"b", {50, {}}}, {"c", {50, {}}}}, 0ms, 0ms);
    rig.advance(0ms);
    rig.apply_scene({{"a", {10, {}}}, {"b", {90, {}}}}, 30s, 1s);
    const auto steps = run_until_rest(rig);
    Millis a_end{0}, b_end{0};
    for (const auto& step : steps) {
        EXPECT_NE(step.message.topic, "z2m/c/set") << "an unnamed light was touched";
        if (step.message.topic == "z2m/a/set") a_end = step.at;
        if (step.message.topic == "z2m/b/set") b_end = step.at;
    }
    EXPECT_EQ(a_end, 31s);
    EXPECT_EQ(b_end, 31s);
    EXPECT_DOUBLE_EQ(rig.levels().at("c").level, 50);
}

TEST(LightRig, SceneThatChangesNothingSendsNothing) {
    LightRig rig(rig_of({z2m("a")}));
    rig.apply_scene({{"a", {30, {}}}}, 0ms, 0ms);
    rig.advance(0ms);
    rig.apply_scene({{"a", {30, {}}}}, 10s, 1s);
    EXPECT_TRUE(run_until_rest(rig).empty());
}

TEST(LightRig, ReportsUnknownLightIds) {
    LightRig rig(rig_of({z2m("a")}));
    EXPECT_EQ(rig.apply_scene({{"a", {1, {}}}, {"ghost", {1, {}}}}, 0ms, 0ms),
              std::vector<std::string>{"ghost"});
}

TEST(LightRig, MinLevelHoldsDimStepsVisibleAndZeroIsOff) {
    LightRig rig(rig_of({tasmota("d", 8)}));
    rig.apply_scene({{"d", {50, {}}}}, 20s, 0ms);
    auto up = run_until_rest(rig);
    ASSERT_FALSE(up.empty());
    EXPECT_EQ(up.front().message, (DeviceMessage{"cmnd/d/Dimmer", "8"}));
    rig.apply_scene({{"d", {0, {}}}}, 20s, 30s);
    auto down = run_until_rest(rig);
    ASSERT_GE(down.size(), 2u);
    EXPECT_EQ(down.back().message, (DeviceMessage{"cmnd/d/Power", "OFF", 1}));
    std::vector<int> dimmer;
    for (const auto& step : down)
        if (step.message.topic == "cmnd/d/Dimmer")
            dimmer.push_back(std::stoi(step.message.payload));
    ASSERT_FALSE(dimmer.empty());
    EXPECT_EQ(dimmer.back(), 8) << "the dimmest visible step comes just before off";
    for (int level : dimmer)
        EXPECT_GE(level, 8);
}

TEST(LightRig, ColourTemperatureFadesAlongsideOnlyForColourLights) {
    LightRig rig(rig_of({z2m("warm", true), z2m("plain")}));
    rig.apply_scene({{"warm", {50, 4000}}, {"plain", {50, 4000}}}, 0ms, 0ms);
    rig.advance(0ms);
    rig.apply_scene({{"warm", {50, 2700}}, {"plain", {50, 2700}}}, 10s, 1s);
    const auto steps = run_until_rest(rig);
    int previous_mired = 250;
    int warm_steps = 0;
    for (const auto& step : steps) {
        ASSERT_EQ(step.message.topic, "z2m/warm/set") << "level unchanged: plain needs nothing";
        const int mired = nlohmann::json::parse(step.message.payload)["color_temp"].get<int>();
        EXPECT_GE(mired, previous_mired);
        previous_mired = mired;
        ++warm_steps;
    }
    EXPECT_GT(warm_steps, 10);
    EXPECT_EQ(previous_mired, 370);
    EXPECT_EQ(rig.levels().at("plain").kelvin, std::nullopt);
}

TEST(LightRig, OfflineLightIsSkippedAndGetsTheRightLevelWhenBack) {
    LightRig rig(rig_of({z2m("a"), z2m("b")}));
    EXPECT_EQ(rig.on_message("z2m/a/availability", "online", 0ms), "");
    EXPECT_TRUE(rig.take_availability_changes().empty()) << "online when assumed online";
    rig.apply_scene({{"a", {100, {}}}, {"b", {100, {}}}}, 10s, 0ms);
    run_until_rest(rig, 2s);
    rig.on_message("z2m/a/availability", R"({"state":"offline"})", 2s);
    EXPECT_EQ(rig.take_availability_changes(), (std::vector<AvailabilityChange>{{"a", false}}));
    for (const auto& step : run_until_rest(rig, 6s))
        EXPECT_NE(step.message.topic, "z2m/a/set");
    rig.on_message("z2m/a/availability", "online", Millis(6s + 100ms));
    EXPECT_EQ(rig.take_availability_changes(), (std::vector<AvailabilityChange>{{"a", true}}));
    EXPECT_EQ(rig.next_wake(), Millis(6s + 100ms));
    const auto back = rig.advance(Millis(6s + 100ms));
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].topic, "z2m/a/set");
    EXPECT_EQ(back[0].qos, 1);
    const double expected = perceptual_fade_level(0, 100, 0.61) / 100 * 254;
    EXPECT_NEAR(nlohmann::json::parse(back[0].payload)["brightness"].get<double>(), expected, 1);
    EXPECT_EQ(rig.levels_json()["a"]["available"], true);
}

TEST(LightRig, LightOfflineForAWholeFadeGetsItsTargetWhenItComesBack) {
    LightRig rig(rig_of({z2m("a")}));
    rig.on_message("z2m/a/availability", "offline", 0ms);
    rig.apply_scene({{"a", {60, {}}}}, 2s, 0ms);
    EXPECT_TRUE(run_until_rest(rig).empty());
    EXPECT_TRUE(rig.reassert().empty()) << "nothing goes to an offline light";
    rig.on_message("z2m/a/availability", "online", 10s);
    EXPECT_EQ(rig.advance(10s),
              (std::vector<DeviceMessage>{{"z2m/a/set", R"({"state":"ON","brightness":152})", 1}}));
}

TEST(LightRig, ReassertSendsEveryCommandedLight) {
    LightRig rig(rig_of({z2m("a"), tasmota("d")}));
    EXPECT_TRUE(rig.reassert().empty()) << "nothing to reassert before Haven said anything";
    rig.apply_scene({{"a", {20, {}}}, {"d", {30, {}}}}, 0ms, 0ms);
    rig.advance(0ms);
    EXPECT_EQ(rig.reassert(),
              (std::vector<DeviceMessage>{{"z2m/a/set", R"({"state":"ON","brightness":51})", 1},
                                          {"cmnd/d/Dimmer", "30", 1}}));
}

TEST(LightRig, AdoptsTheDevicesLevelBeforeHavenCommandsIt) {
    LightRig rig(rig_of({tasmota("d")}));
    EXPECT_EQ(rig.on_message("stat/d/RESULT", R"({"POWER":"ON","Dimmer":60})", 0ms), "");
    EXPECT_DOUBLE_EQ(rig.levels().at("d").level, 60);
    rig.apply_scene({{"d", {0, {}}}}, 10s, 0ms);
    const auto steps = run_until_rest(rig);
    ASSERT_FALSE(steps.empty());
    EXPECT_GE(std::stoi(steps.front().message.payload), 55) << "faded from 0, not from 60";
}

TEST(LightRig, MalformedFeedbackIsIgnoredWithAReason) {
    LightRig rig(rig_of({z2m("a")}));
    std::string reason;
    EXPECT_NO_THROW(reason = rig.on_message("z2m/a", "\x01garbage", 0ms));
    EXPECT_NE(reason.find("light 'a'"), std::string::npos) << reason;
    EXPECT_EQ(rig.on_message("unrelated/topic", "x", 0ms), "");
}

TEST(LightRig, SubscriptionsAndJson) {
    LightRig rig(rig_of({z2m("a"), tasmota("d")}));
    EXPECT_EQ(rig.subscriptions(),
              (std::vector<std::string>{"stat/d/RESULT", "tele/d/LWT", "tele/d/STATE", "z2m/a",
                                        "z2m/a/availability"}));
    rig.apply_scene({{"a", {40, {}}}}, 10s, 0ms);
    const auto json = rig.levels_json();
    EXPECT_EQ(json["a"]["target"], 40);
    EXPECT_EQ(json["a"]["fading"], true);
    EXPECT_EQ(json["d"]["kelvin"], nullptr);
}

}  // namespace
}  // namespace haven::lights
