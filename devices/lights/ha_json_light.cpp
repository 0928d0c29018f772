// Home Assistant's MQTT JSON light schema: commands on <topic>/set, state on <topic>,
// availability on <topic>/availability. Brightness uses the schema's default scale 0..255,
// colour temperature is in mireds.
#include "dialects.hpp"
#include "json_schema_light.hpp"

namespace haven::lights {

std::unique_ptr<LightDriver> make_ha_json_light(const config::LightConfig& light) {
    return std::make_unique<detail::JsonSchemaLight>(light, 255);
}

}  // namespace haven::lights
