// Home Assistant's MQTT JSON light schema: commands on <topic>/set, state on <topic>,
// availability on <topic>/availability. Brightness uses the schema's default scale 0..255,
// colour temperature is in mireds.
#include "json_schema_device.hpp"
#include "json_schema_light.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {
constexpr int kFull = 255;
}  // namespace

LightDialect ha_json_light_dialect() {
    static const detail::JsonSchemaDevice device{
        kFull, detail::JsonSchemaDevice::Availability::plain_word};
    return {.entry = {"ha-json", dimmer_keys()},
            .make_driver = [](const config::LightConfig& light,
                              std::string_view) -> std::unique_ptr<LightDriver> {
                return std::make_unique<detail::JsonSchemaLight>(light, kFull);
            },
            .simulator = &device};
}

}  // namespace haven::lights
