// The light registry: one declaration and one row per dialect. The config loader, the driver
// factory and the simulator all read their dialects from here.
#include "light_dialect.hpp"

namespace haven::lights {

// Each defined in its own <dialect>_light.cpp.
LightDialect zigbee2mqtt_light_dialect();
LightDialect tasmota_light_dialect();
LightDialect shelly_gen2_light_dialect();
LightDialect wled_light_dialect();
LightDialect ha_json_light_dialect();
LightDialect esphome_light_dialect();
LightDialect shelly_gen1_light_dialect();

const std::vector<LightDialect>& light_dialects() {
    static const std::vector<LightDialect> rows{
        zigbee2mqtt_light_dialect(), tasmota_light_dialect(), shelly_gen2_light_dialect(),
        wled_light_dialect(),        ha_json_light_dialect(), esphome_light_dialect(),
        shelly_gen1_light_dialect(),
    };
    return rows;
}

const LightDialect* find_light_dialect(std::string_view driver) {
    for (const auto& row : light_dialects())
        if (row.entry.name == driver) return &row;
    return nullptr;
}

std::vector<std::string_view> dimmer_keys() {
    return {"color_temp", "min_level", "curve"};
}

}  // namespace haven::lights
