#include "json_schema_device.hpp"

#include <cmath>

#include "driver_support.hpp"
#include "json_text.hpp"

namespace haven::lights::detail {

std::vector<std::string> JsonSchemaDevice::command_topics(const config::LightConfig& light) const {
    return {light.topic + "/set"};
}

std::optional<std::vector<devices::DeviceMessage>> JsonSchemaDevice::apply_command(
    const config::LightConfig&, SimulatedLight& device, const std::string&,
    const std::string& payload) const {
    auto parsed = parse_object(payload);
    if (!parsed) return std::nullopt;
    const nlohmann::json& body = *parsed;
    const bool off = body.contains("state") && body["state"] == "OFF";
    if (off) {
        device.level = 0;
    } else if (body.contains("brightness") && body["brightness"].is_number()) {
        device.level = from_device_scale(body["brightness"].get<double>(), full_);
    } else if (body.contains("state") && body["state"] == "ON" && device.level == 0) {
        device.level = 100;
    }
    if (body.contains("color_temp") && body["color_temp"].is_number())
        device.kelvin = mired_to_kelvin(body["color_temp"].get<double>());
    return std::vector<devices::DeviceMessage>{};
}

std::vector<devices::DeviceMessage> JsonSchemaDevice::state_messages(
    const config::LightConfig& light, const SimulatedLight& device) const {
    nlohmann::json state{{"state", device.level > 0 ? "ON" : "OFF"},
                         {"brightness", simulated_scale(device.level, full_)}};
    if (device.kelvin) state["color_temp"] = std::lround(1e6 / *device.kelvin);
    return {{light.topic, json_text(state), 0, true}};  // Zigbee2MQTT retains device state
}

devices::DeviceMessage JsonSchemaDevice::availability_message(const config::LightConfig& light,
                                                              bool online) const {
    const char* word = online ? "online" : "offline";
    std::string payload = availability_ == Availability::state_object
                              ? json_text(nlohmann::json{{"state", word}})
                              : std::string{word};
    return {light.topic + "/availability", std::move(payload), 1, true};
}

}  // namespace haven::lights::detail
