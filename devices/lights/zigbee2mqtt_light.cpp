// Zigbee2MQTT: commands on <topic>/set, state on <topic>, availability on
// <topic>/availability ("online"/"offline" or {"state":"online"}). Brightness is 0..254.
// Fades step once a second with the bulb's own "transition" between steps: Zigbee2MQTT's
// maintainer notes bulbs fall behind at a few commands a second, and a queue in the
// coordinator turns a 4-per-second fade into a late, jerky one.
#include "json_schema_device.hpp"
#include "json_schema_light.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {
const detail::JsonSchemaProfile kZigbee2Mqtt{.full = 254};
}  // namespace

LightDialect zigbee2mqtt_light_dialect() {
    // Zigbee2MQTT's own availability is the JSON form.
    static const detail::JsonSchemaDevice device{
        kZigbee2Mqtt, detail::JsonSchemaDevice::Availability::state_object};
    return {.entry = {"zigbee2mqtt", dimmer_keys()},
            .make_driver = [](const config::LightConfig& light,
                              std::string_view) -> std::unique_ptr<LightDriver> {
                return std::make_unique<detail::JsonSchemaLight>(light, kZigbee2Mqtt);
            },
            .simulator = &device,
            .step_interval = Millis{1000}};
}

}  // namespace haven::lights
