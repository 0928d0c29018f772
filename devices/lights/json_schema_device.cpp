#include "json_schema_device.hpp"

#include <cmath>

#include "driver_support.hpp"
#include "json_text.hpp"

namespace haven::lights::detail {

std::vector<std::string> JsonSchemaDevice::command_topics(const config::LightConfig& light) const {
    return {topics_for(profile_, light).command};
}

std::optional<std::vector<devices::DeviceMessage>> JsonSchemaDevice::apply_command(
    const config::LightConfig& light, SimulatedLight& device, const std::string&,
    const std::string& payload) const {
    const auto profile = profile_for(profile_, light);
    const int full_ = profile.full;
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
    if (body.contains("color_temp") && body["color_temp"].is_number()) {
        const double temp = body["color_temp"].get<double>();
        if (temp <= 0) return std::nullopt;
        device.kelvin =
            profile.kelvin ? static_cast<int>(std::lround(temp)) : mired_to_kelvin(temp);
    }
    return std::vector<devices::DeviceMessage>{};
}

std::vector<devices::DeviceMessage> JsonSchemaDevice::state_messages(
    const config::LightConfig& light, const SimulatedLight& device) const {
    const auto profile = profile_for(profile_, light);
    nlohmann::json state{{"state", device.level > 0 ? "ON" : "OFF"},
                         {"brightness", simulated_scale(device.level, profile.full)}};
    if (device.kelvin)
        state["color_temp"] = profile.kelvin ? *device.kelvin : std::lround(1e6 / *device.kelvin);
    // Zigbee2MQTT and ESPHome retain device state.
    return {{topics_for(profile, light).state, json_text(state), 0, true}};
}

devices::DeviceMessage JsonSchemaDevice::availability_message(const config::LightConfig& light,
                                                              bool online) const {
    const char* word = online ? "online" : "offline";
    std::string payload = availability_ == Availability::state_object
                              ? json_text(nlohmann::json{{"state", word}})
                              : std::string{word};
    return {topics_for(profile_, light).availability, std::move(payload), 1, true};
}

}  // namespace haven::lights::detail
