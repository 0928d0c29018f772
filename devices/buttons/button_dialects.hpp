#pragma once
// One constructor per dialect file; make_button_driver picks among them. Internal.

#include <memory>

#include "button_driver.hpp"

namespace haven::buttons {

std::unique_ptr<ButtonDriver> make_zigbee2mqtt_button(const config::ButtonConfig& button);
std::unique_ptr<ButtonDriver> make_tasmota_button(const config::ButtonConfig& button);
std::unique_ptr<ButtonDriver> make_shelly_gen2_button(const config::ButtonConfig& button);
std::unique_ptr<ButtonDriver> make_generic_button(const config::ButtonConfig& button);

}  // namespace haven::buttons
