#include "button_driver.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "button_dialects.hpp"

namespace haven::buttons {

const std::vector<std::string>& button_driver_names() {
    static const std::vector<std::string> names{"zigbee2mqtt", "tasmota", "shelly-gen2", "generic"};
    return names;
}

std::unique_ptr<ButtonDriver> make_button_driver(const config::ButtonConfig& button) {
    if (button.driver == "zigbee2mqtt") return make_zigbee2mqtt_button(button);
    if (button.driver == "tasmota") return make_tasmota_button(button);
    if (button.driver == "shelly-gen2") return make_shelly_gen2_button(button);
    if (button.driver == "generic") return make_generic_button(button);
    throw std::invalid_argument("button '" + button.id + "': unknown driver '" + button.driver +
                                "' (expected zigbee2mqtt, tasmota, shelly-gen2 or generic)");
}

}  // namespace haven::buttons
