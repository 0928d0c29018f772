#pragma once
// How one device speaks Home Assistant's MQTT JSON light schema ({"state","brightness",
// "color_temp","transition"}), which Zigbee2MQTT, Home Assistant's own MQTT lights and ESPHome
// share with small differences: topics, brightness scale, kelvin or mireds, and whether
// "transition" may have a fraction. A dialect names its defaults; a light may override them
// (config JsonSchemaOptions).
#include <string>

#include "room_config.hpp"

namespace haven::lights::detail {

struct JsonSchemaProfile {
    int full = 255;                // brightness scale
    bool kelvin = false;           // color_temp in kelvin (HA's color_temp_kelvin) or mireds
    bool whole_seconds = false;    // "transition" only as a whole number of seconds
    std::string command = "/set";  // topic suffixes after the light's topic
    std::string state;             // "" is the topic itself
    std::string availability = "/availability";
    // ESPHome: one birth/will topic per node, <node prefix>/status, where the light's topic is
    // <node prefix>/light/<name>.
    bool availability_per_node = false;
};

struct JsonSchemaTopics {
    std::string command;
    std::string state;
    std::string availability;
};

// The dialect's profile with the light's own options applied.
JsonSchemaProfile profile_for(JsonSchemaProfile dialect, const config::LightConfig& light);
// Where the light's commands, state and availability are.
JsonSchemaTopics topics_for(const JsonSchemaProfile& profile, const config::LightConfig& light);

}  // namespace haven::lights::detail
