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

std::optional<bool> parse_availability(const std::string& payload) {
    std::string word = payload;
    if (auto json = nlohmann::json::parse(payload, nullptr, false);
        json.is_object() && json.contains("state") && json["state"].is_string())
        word = json["state"].get<std::string>();
    word.erase(0, word.find_first_not_of(" \t\r\n"));
    word.erase(word.find_last_not_of(" \t\r\n") + 1);
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (word == "online" || word == "true") return true;
    if (word == "offline" || word == "false") return false;
    return std::nullopt;
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
