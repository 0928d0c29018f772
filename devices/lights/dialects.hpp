#pragma once
// One constructor per dialect file; make_driver picks among them. Internal to haven_lights.

#include <memory>
#include <string_view>

#include "light_driver.hpp"

namespace haven::lights {

std::unique_ptr<LightDriver> make_zigbee2mqtt_light(const config::LightConfig& light);
std::unique_ptr<LightDriver> make_tasmota_light(const config::LightConfig& light);
std::unique_ptr<LightDriver> make_shelly_gen2_light(const config::LightConfig& light,
                                                    std::string_view source);
std::unique_ptr<LightDriver> make_wled_light(const config::LightConfig& light);
std::unique_ptr<LightDriver> make_ha_json_light(const config::LightConfig& light);

}  // namespace haven::lights
