#include "ha_discovery.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace haven::mqtt {
namespace {

using nlohmann::json;

config::RoomConfig cedar() {
    config::RoomConfig room;
    room.room = {"cedar", "Cedar room"};
    room.mqtt.topic_prefix = "haven";
    room.mqtt.ha_prefix = "homeassistant";
    room.audio.max_volume = 70;
    room.templates["iv-ketamine"] =
        config::SessionTemplate{.id = "iv-ketamine", .name = "IV ketamine"};
    room.templates["im-ketamine"] = config::SessionTemplate{.id = "im-ketamine", .name = ""};
    return room;
}

json payload_of(const config::RoomConfig& room) {
    const auto messages = home_assistant_discovery(room, "1.2.3");
    EXPECT_EQ(messages.size(), 1u);
    return json::parse(messages.at(0).payload);
}

const json& component(const json& payload, const std::string& key) {
    return payload.at("cmps").at("haven_cedar_" + key);
}

TEST(HomeAssistantDiscovery, IsOneRetainedQos1DeviceMessageOnTheDeviceTopic) {
    const auto messages = home_assistant_discovery(cedar(), "1.2.3");
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].topic, "homeassistant/device/haven_cedar/config");
    EXPECT_TRUE(messages[0].retain);
    EXPECT_EQ(messages[0].qos, 1);
}

TEST(HomeAssistantDiscovery, DescribesOneDeviceAvailableThroughTheStatusTopic) {
    const json payload = payload_of(cedar());
    EXPECT_EQ(payload.at("dev").at("ids"), json::array({"haven_cedar"}));
    EXPECT_EQ(payload.at("dev").at("name"), "Cedar room");
    EXPECT_EQ(payload.at("dev").at("sw"), "1.2.3");
    EXPECT_EQ(payload.at("avty_t"), "haven/cedar/status");
    EXPECT_EQ(payload.at("pl_avail"), "online");
    EXPECT_EQ(payload.at("pl_not_avail"), "offline");
}

TEST(HomeAssistantDiscovery, SensorsReadTheStateTopic) {
    const json payload = payload_of(cedar());
    for (const std::string key : {"phase", "time_remaining", "infusion", "next_reminder"}) {
        SCOPED_TRACE(key);
        const json& sensor = component(payload, key);
        EXPECT_EQ(sensor.at("p"), "sensor");
        EXPECT_EQ(sensor.at("stat_t"), "haven/cedar/state");
        // Every template survives `session: null` between sessions.
        EXPECT_NE(sensor.at("val_tpl").get<std::string>().find("if value_json.session else"),
                  std::string::npos);
    }
    EXPECT_EQ(component(payload, "time_remaining").at("dev_cla"), "duration");
    EXPECT_EQ(component(payload, "time_remaining").at("unit_of_meas"), "s");
}

TEST(HomeAssistantDiscovery, AlarmIsAProblemSensorOnTheStateAlarms) {
    const json payload = payload_of(cedar());
    const json& alarm = component(payload, "alarm");
    EXPECT_EQ(alarm.at("p"), "binary_sensor");
    EXPECT_EQ(alarm.at("dev_cla"), "problem");
    EXPECT_EQ(alarm.at("stat_t"), "haven/cedar/state");
    EXPECT_NE(alarm.at("val_tpl").get<std::string>().find("value_json.alarms"), std::string::npos);
    EXPECT_EQ(alarm.at("pl_on"), "ON");
}

struct ButtonCase {
    std::string key, topic, press;
};

void expect_buttons(const json& payload, const std::vector<ButtonCase>& cases) {
    for (const auto& c : cases) {
        SCOPED_TRACE(c.key);
        const json& button = component(payload, c.key);
        EXPECT_EQ(button.at("p"), "button");
        EXPECT_EQ(button.at("cmd_t"), c.topic);
        EXPECT_EQ(button.at("pl_prs"), c.press);
    }
}

// The buttons that change the session's record without a confirmation.
const std::vector<ButtonCase> full_control_buttons = {
    {"end", "haven/cedar/cmd/end", "PRESS"},
    {"infusion_start", "haven/cedar/cmd/infusion_start", "PRESS"},
    {"infusion_pause", "haven/cedar/cmd/infusion_pause", "PRESS"},
    {"infusion_resume", "haven/cedar/cmd/infusion_resume", "PRESS"},
    {"infusion_stop", "haven/cedar/cmd/infusion_stop", "PRESS"},
    {"next", "haven/cedar/cmd/next", "PRESS"},
};

TEST(HomeAssistantDiscovery, ByDefaultOnlyStartAndAssistButtons) {
    const json payload = payload_of(cedar());
    expect_buttons(payload, {
                                {"assist", "haven/cedar/cmd/assist", "PRESS"},
                                {"emergency", "haven/cedar/cmd/emergency", "PRESS"},
                                {"start_iv-ketamine", "haven/cedar/cmd/start", "iv-ketamine"},
                                {"start_im-ketamine", "haven/cedar/cmd/start", "im-ketamine"},
                            });
    EXPECT_EQ(component(payload, "start_iv-ketamine").at("name"), "Start IV ketamine");
    EXPECT_EQ(component(payload, "start_im-ketamine").at("name"),
              "Start im-ketamine");  // unnamed: the id
    for (const auto& c : full_control_buttons)
        EXPECT_FALSE(payload.at("cmps").contains("haven_cedar_" + c.key)) << c.key;
    // Clearing assist is a deliberate act in the room, never a dashboard tap.
    EXPECT_FALSE(payload.at("cmps").contains("haven_cedar_assist_clear"));
}

TEST(HomeAssistantDiscovery, AssistIsABinarySensorWithTheLevelAsAnAttribute) {
    const json payload = payload_of(cedar());
    const json& assist = component(payload, "assist_state");
    EXPECT_EQ(assist.at("p"), "binary_sensor");
    EXPECT_EQ(assist.at("stat_t"), "haven/cedar/state");  // retained by the room
    EXPECT_EQ(assist.at("val_tpl"),
              "{{ 'ON' if value_json.session and value_json.session.assist else 'OFF' }}");
    EXPECT_EQ(assist.at("json_attr_t"), "haven/cedar/state");
    EXPECT_NE(assist.at("json_attr_tpl").get<std::string>().find("session.assist_level"),
              std::string::npos);
}

TEST(HomeAssistantDiscovery, FullControlAddsEndInfusionAndNext) {
    auto room = cedar();
    room.mqtt.ha_full_control = true;
    const json payload = payload_of(room);
    expect_buttons(payload, full_control_buttons);
    EXPECT_FALSE(payload.at("cmps").contains("haven_cedar_assist_clear"));
}

TEST(HomeAssistantDiscovery, VolumeIsANumberCappedAtTheRoomMaximum) {
    const json payload = payload_of(cedar());
    const json& volume = component(payload, "volume");
    EXPECT_EQ(volume.at("p"), "number");
    EXPECT_EQ(volume.at("cmd_t"), "haven/cedar/cmd/volume");
    EXPECT_EQ(volume.at("stat_t"), "haven/cedar/state");
    EXPECT_EQ(volume.at("min"), 0);
    EXPECT_EQ(volume.at("max"), 70.0);
}

TEST(HomeAssistantDiscovery, UniqueIdsAreUniqueAndMatchTheirKeys) {
    const json payload = payload_of(cedar());
    std::set<std::string> ids;
    for (const auto& [key, value] : payload.at("cmps").items()) {
        EXPECT_EQ(value.at("uniq_id"), key);
        EXPECT_TRUE(ids.insert(key).second) << key;
        EXPECT_EQ(key.rfind("haven_cedar_", 0), 0u) << key;
    }
    // sensors, alarm, assist sensor, assist and emergency buttons, start per template, volume
    EXPECT_EQ(ids.size(), 4u + 1u + 1u + 2u + 2u + 1u);
}

TEST(HomeAssistantDiscovery, FollowsConfiguredPrefixes) {
    auto room = cedar();
    room.room = {"oak-2", ""};
    room.mqtt.topic_prefix = "clinic/haven";
    room.mqtt.ha_prefix = "ha";
    room.mqtt.ha_full_control = true;
    const auto messages = home_assistant_discovery(room, "0.1.0");
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].topic, "ha/device/haven_oak-2/config");
    const json payload = json::parse(messages[0].payload);
    EXPECT_EQ(payload.at("avty_t"), "clinic/haven/oak-2/status");
    EXPECT_EQ(payload.at("dev").at("name"), "oak-2");
    EXPECT_EQ(payload.at("cmps").at("haven_oak-2_next").at("cmd_t"), "clinic/haven/oak-2/cmd/next");
}

TEST(HomeAssistantDiscovery, RemovalIsAnEmptyRetainedMessageOnTheSameTopic) {
    const auto room = cedar();
    const auto removal = home_assistant_removal(room);
    ASSERT_EQ(removal.size(), 1u);
    EXPECT_EQ(removal[0].topic, home_assistant_discovery(room, "x")[0].topic);
    EXPECT_EQ(removal[0].payload, "");
    EXPECT_TRUE(removal[0].retain);
}

}  // namespace
}  // namespace haven::mqtt
