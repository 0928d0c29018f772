// Zigbee2MQTT: commands on <topic>/set, state on <topic>, availability on
// <topic>/availability ("online"/"offline" or {"state":"online"}). Brightness is 0..254.
#include "json_schema_device.hpp"
#include "json_schema_light.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {
constexpr int kFull = 254;
}  // namespace

LightDialect zigbee2mqtt_light_dialect() {
    // Zigbee2MQTT's own availability is the JSON form.
    static const detail::JsonSchemaDevice device{
        kFull, detail::JsonSchemaDevice::Availability::state_object};
    return {.entry = {"zigbee2mqtt", dimmer_keys()},
            .make_driver = [](const config::LightConfig& light,
                              std::string_view) -> std::unique_ptr<LightDriver> {
                return std::make_unique<detail::JsonSchemaLight>(light, kFull);
            },
            .simulator = &device};
}

}  // namespace haven::lights
