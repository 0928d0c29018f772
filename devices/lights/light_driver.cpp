#include "light_driver.hpp"

#include <stdexcept>

#include "dialects.hpp"

namespace haven::lights {

const std::vector<std::string>& light_driver_names() {
    static const std::vector<std::string> names{"zigbee2mqtt", "tasmota", "shelly-gen2", "wled",
                                                "ha-json"};
    return names;
}

std::unique_ptr<LightDriver> make_driver(const config::LightConfig& light,
                                         std::string_view source) {
    if (light.driver == "zigbee2mqtt") return make_zigbee2mqtt_light(light);
    if (light.driver == "tasmota") return make_tasmota_light(light);
    if (light.driver == "shelly-gen2") return make_shelly_gen2_light(light, source);
    if (light.driver == "wled") return make_wled_light(light);
    if (light.driver == "ha-json") return make_ha_json_light(light);
    throw std::invalid_argument("light '" + light.id + "': unknown driver '" + light.driver +
                                "' (expected zigbee2mqtt, tasmota, shelly-gen2, wled or ha-json)");
}

}  // namespace haven::lights
