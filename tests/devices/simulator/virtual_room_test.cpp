// Haven's drivers against the virtual room's devices, wired back to back without a broker:
// every dialect's commands land, state and availability come back, and every dialect's
// button press becomes the configured cue.
#include "virtual_room.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../button_fixture.hpp"
#include "button_router.hpp"
#include "light_rig.hpp"

namespace haven::simulator {
namespace {

using namespace std::chrono_literals;

std::map<std::string, config::LightConfig> every_dialect() {
    std::map<std::string, config::LightConfig> lights;
    auto add = [&](std::string id, std::string driver, std::string topic, bool ct) {
        lights[id] = {.id = id, .driver = driver, .topic = topic, .color_temp = ct};
    };
    add("ceiling", "zigbee2mqtt", "zigbee2mqtt/ceiling", true);
    add("lamp", "tasmota", "lamp", true);
    add("wall", "shelly-gen2", "shelly-wall", false);
    add("strip", "wled", "wled/strip", false);
    add("floor", "ha-json", "home/floor", true);
    return lights;
}

std::map<std::string, config::ButtonConfig> buttons() {
    return device_fixtures::one_button_per_dialect();
}

// Delivers Haven's messages to the room and the room's replies back to Haven.
void deliver(lights::LightRig& rig, VirtualRoom& room,
             const std::vector<devices::DeviceMessage>& messages, Millis now) {
    for (const auto& message : messages) {
        for (const auto& reply : room.on_message(message.topic, message.payload))
            EXPECT_EQ(rig.on_message(reply.topic, reply.payload, now), "") << reply.topic;
    }
}

void run_fade(lights::LightRig& rig, VirtualRoom& room) {
    while (auto wake = rig.next_wake())
        deliver(rig, room, rig.advance(*wake), *wake);
}

TEST(VirtualRoom, SceneLandsOnEveryDialect) {
    lights::LightRig rig(every_dialect(), "haven-test");
    VirtualRoom room(every_dialect(), {});
    for (const auto& message : room.announce())
        EXPECT_EQ(rig.on_message(message.topic, message.payload, 0ms), "") << message.topic;
    std::map<std::string, config::LightTarget> scene;
    for (const auto& [id, light] : every_dialect())
        scene[id] = {37, 2700};
    rig.apply_scene(scene, 20s, 0ms);
    run_fade(rig, room);
    for (const auto& [id, device] : room.lights()) {
        EXPECT_NEAR(device.level, 37, 0.5) << id;
        EXPECT_GT(device.commands, 5) << id << " got a jump, not a fade";
        if (every_dialect().at(id).color_temp) {
            ASSERT_TRUE(device.kelvin) << id;
            EXPECT_NEAR(*device.kelvin, 2700, 10) << id;
        }
        EXPECT_NEAR(rig.levels_json()[id]["reported"].get<double>(), 37, 0.5) << id;
    }
    rig.apply_scene(scene, 0ms, 30s);
    for (auto& [id, target] : scene)
        target.level = 0;
    rig.apply_scene(scene, 5s, 30s);
    run_fade(rig, room);
    for (const auto& [id, device] : room.lights())
        EXPECT_EQ(device.level, 0) << id;
}

TEST(VirtualRoom, OfflineLightReturnsToTheLevelItShouldHaveNow) {
    for (const auto& [id, config] : every_dialect()) {
        std::map<std::string, config::LightConfig> one{{id, config}};
        lights::LightRig rig(one);
        VirtualRoom room(one, {});
        rig.apply_scene({{id, {80, std::nullopt}}}, 10s, 0ms);
        Millis now = 0ms;
        while (auto wake = rig.next_wake()) {
            if (*wake > 3s) break;
            now = *wake;
            deliver(rig, room, rig.advance(now), now);
        }
        for (const auto& message : room.set_online(id, false))
            rig.on_message(message.topic, message.payload, now);
        EXPECT_EQ(rig.take_availability_changes(),
                  (std::vector<lights::AvailabilityChange>{{id, false}}))
            << id;
        const double stranded = room.lights().at(id).level;
        while (auto wake = rig.next_wake()) {
            now = *wake;
            deliver(rig, room, rig.advance(now), now);
        }
        EXPECT_EQ(room.lights().at(id).level, stranded)
            << id << ": commands reached an offline light";
        now += 5s;
        for (const auto& message : room.set_online(id, true))
            rig.on_message(message.topic, message.payload, now);
        while (auto wake = rig.next_wake())
            deliver(rig, room, rig.advance(*wake), *wake);
        EXPECT_NEAR(room.lights().at(id).level, 80, 0.5) << id;
    }
}

TEST(VirtualRoom, EveryDialectsPressBecomesTheConfiguredCue) {
    VirtualRoom room({}, buttons());
    buttons::ButtonRouter router(buttons());
    for (const auto& [id, button] : buttons()) {
        for (const auto& [action, command] : button.actions) {
            const auto press = room.press(id, action);
            ASSERT_TRUE(press) << id;
            const auto routed = router.route(press->topic, press->payload);
            ASSERT_TRUE(routed.cue) << id << " " << action << ": " << routed.ignored;
            EXPECT_EQ(routed.cue->first, command) << id << " " << action;
            EXPECT_EQ(routed.cue->second.id, id);
        }
    }
    EXPECT_FALSE(room.press("nobody", "single"));
}

TEST(VirtualRoom, MalformedCommandsAreIgnored) {
    VirtualRoom room(every_dialect(), {});
    EXPECT_TRUE(room.on_message("zigbee2mqtt/ceiling/set", "{oops").empty());
    EXPECT_TRUE(room.on_message("cmnd/lamp/Dimmer", "bright").empty());
    EXPECT_TRUE(room.on_message("shelly-wall/rpc", R"({"params":5})").empty());
    EXPECT_TRUE(room.on_message("no/such/topic", "{}").empty());
    EXPECT_EQ(room.lights().at("ceiling").commands, 0);
}

TEST(VirtualRoom, ViewShowsOneLinePerLight) {
    VirtualRoom room(every_dialect(), {});
    room.on_message("cmnd/lamp/Dimmer", "40");
    room.set_online("strip", false);
    const std::string view = room.view();
    EXPECT_EQ(std::count(view.begin(), view.end(), '\n'), 5);
    EXPECT_NE(view.find("[####......]  40.0%"), std::string::npos) << view;
    EXPECT_NE(view.find("OFFLINE"), std::string::npos) << view;
}

}  // namespace
}  // namespace haven::simulator
