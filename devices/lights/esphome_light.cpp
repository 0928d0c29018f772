// ESPHome's MQTT light (the JSON schema, as its mqtt: component publishes it): commands on
// <topic>/command, state retained on <topic>/state, where <topic> is
// <node prefix>/light/<name>; the node's birth and will on <node prefix>/status ("online" /
// "offline"). Brightness 0..255, colour temperature in mireds.
//
// "transition" is read only as a whole number: esphome/components/light/light_json_schema.cpp
// parse_json takes it when root["transition"].is<uint16_t>(), so 0.25 would be dropped. The
// dialect therefore steps fades once a second with a 1 s transition.
#include "json_schema_device.hpp"
#include "json_schema_light.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {
const detail::JsonSchemaProfile kEsphome{
    .whole_seconds = true, .command = "/command", .state = "/state", .availability_per_node = true};
}  // namespace

LightDialect esphome_light_dialect() {
    static const detail::JsonSchemaDevice device{
        kEsphome, detail::JsonSchemaDevice::Availability::plain_word};
    auto keys = dimmer_keys();
    keys.push_back("availability_topic");
    return {.entry = {"esphome", keys},
            .make_driver = [](const config::LightConfig& light,
                              std::string_view) -> std::unique_ptr<LightDriver> {
                return std::make_unique<detail::JsonSchemaLight>(light, kEsphome);
            },
            .simulator = &device,
            .step_interval = Millis{1000}};
}

}  // namespace haven::lights
