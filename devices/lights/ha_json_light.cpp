// Home Assistant's MQTT JSON light schema: commands on <topic>/set, state on <topic>,
// availability on <topic>/availability. Brightness uses the schema's default scale 0..255,
// colour temperature is in mireds. Each of those is set per light as the device's own HA
// config has it: command_topic, state_topic, availability_topic, brightness_scale and
// color_temp_kelvin (HA's MQTT JSON light options of the same names).
#include "json_schema_device.hpp"
#include "json_schema_light.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {
const detail::JsonSchemaProfile kHaJson{};
}  // namespace

LightDialect ha_json_light_dialect() {
    static const detail::JsonSchemaDevice device{
        kHaJson, detail::JsonSchemaDevice::Availability::plain_word};
    auto keys = dimmer_keys();
    for (const char* key : {"command_topic", "state_topic", "availability_topic",
                            "brightness_scale", "color_temp_kelvin"})
        keys.push_back(key);
    return {.entry = {"ha-json", keys},
            .make_driver = [](const config::LightConfig& light,
                              std::string_view) -> std::unique_ptr<LightDriver> {
                return std::make_unique<detail::JsonSchemaLight>(light, kHaJson);
            },
            .simulator = &device};
}

}  // namespace haven::lights
