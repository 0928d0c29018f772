// Zigbee2MQTT: commands on <topic>/set, state on <topic>, availability on
// <topic>/availability ("online"/"offline" or {"state":"online"}). Brightness is 0..254.
#include "dialects.hpp"
#include "json_schema_light.hpp"

namespace haven::lights {

std::unique_ptr<LightDriver> make_zigbee2mqtt_light(const config::LightConfig& light) {
    return std::make_unique<detail::JsonSchemaLight>(light, 254);
}

}  // namespace haven::lights
