// The device side of each button dialect: the message a press sends, from the action name
// the router reads back (devices/buttons/button_driver.hpp lists the names).
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "virtual_devices.hpp"

namespace haven::simulator {
namespace {

using nlohmann::json;

// "button2_double" -> {"Button2", "DOUBLE"}; "single" -> {"Button1", "SINGLE"}.
std::pair<std::string, std::string> tasmota_parts(const std::string& action) {
    std::string input = "Button1";
    std::string name = action;
    const auto underscore = action.find('_');
    if (underscore != std::string::npos &&
        (action.rfind("button", 0) == 0 || action.rfind("switch", 0) == 0)) {
        input = action.substr(0, underscore);
        input[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(input[0])));
        name = action.substr(underscore + 1);
    }
    for (char& c : name)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return {input, name};
}

// "input1_long_push" -> {1, "long_push"}; "single_push" -> {0, "single_push"}.
std::pair<std::string, std::string> shelly_parts(const std::string& action) {
    const auto underscore = action.find('_');
    if (action.rfind("input", 0) == 0 && underscore != std::string::npos && underscore > 5) {
        const std::string id = action.substr(5, underscore - 5);
        if (std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); }))
            return {id, action.substr(underscore + 1)};
    }
    return {"0", action};
}

}  // namespace

std::optional<devices::DeviceMessage> press_message(const config::ButtonConfig& button,
                                                    const std::string& action) {
    const std::string& t = button.topic;
    if (button.driver == "zigbee2mqtt")
        return devices::DeviceMessage{t, json{{"action", action}}.dump()};
    if (button.driver == "tasmota") {
        const auto [input, name] = tasmota_parts(action);
        return devices::DeviceMessage{"stat/" + t + "/RESULT",
                                      json{{input, {{"Action", name}}}}.dump()};
    }
    if (button.driver == "shelly-gen2") {
        const auto [id, name] = shelly_parts(action);
        json event{{"component", "input:" + id}, {"id", std::stoi(id)}, {"event", name}};
        json body{{"src", t},
                  {"dst", t + "/events"},
                  {"method", "NotifyEvent"},
                  {"params", {{"events", json::array({event})}}}};
        return devices::DeviceMessage{t + "/events/rpc", body.dump()};
    }
    return devices::DeviceMessage{t, action};  // generic
}

}  // namespace haven::simulator
