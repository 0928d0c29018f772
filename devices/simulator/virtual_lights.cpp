// The device side of each light dialect: parse a command the way the firmware does, keep
// the resulting state, and report it on the dialect's state topic.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "virtual_devices.hpp"

namespace haven::simulator {
namespace {

using nlohmann::json;

double from_scale(double value, int full) {
    return std::clamp(value / full * 100.0, 0.0, 100.0);
}
int to_scale(double percent, int full) {
    return static_cast<int>(std::lround(percent / 100.0 * full));
}
int mired_kelvin(double value) {
    return static_cast<int>(std::lround(1e6 / std::max(value, 1.0)));
}

std::optional<json> object(const std::string& payload) {
    auto parsed = json::parse(payload, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
    return parsed;
}

// Zigbee2MQTT and HA JSON: {"state":"ON","brightness":N,"color_temp":M}; remembers the
// brightness across off/on like the bulbs do.
bool apply_json_schema(VirtualLight& device, const json& body, int full) {
    const bool off = body.contains("state") && body["state"] == "OFF";
    if (off) {
        device.level = 0;
    } else if (body.contains("brightness") && body["brightness"].is_number()) {
        device.level = from_scale(body["brightness"].get<double>(), full);
    } else if (body.contains("state") && body["state"] == "ON" && device.level == 0) {
        device.level = 100;
    }
    if (body.contains("color_temp") && body["color_temp"].is_number())
        device.kelvin = mired_kelvin(body["color_temp"].get<double>());
    return true;
}

}  // namespace

std::vector<std::string> command_topics(const config::LightConfig& light) {
    const std::string& t = light.topic;
    if (light.driver == "tasmota")
        return {"cmnd/" + t + "/Dimmer", "cmnd/" + t + "/CT", "cmnd/" + t + "/Power"};
    if (light.driver == "shelly-gen2") return {t + "/rpc"};
    if (light.driver == "wled") return {t + "/api"};
    return {t + "/set"};  // zigbee2mqtt, ha-json
}

std::optional<std::vector<devices::DeviceMessage>> apply_command(const config::LightConfig& light,
                                                                 VirtualLight& device,
                                                                 const std::string& topic,
                                                                 const std::string& payload) {
    if (light.driver == "tasmota") {
        const std::string command = topic.substr(topic.rfind('/') + 1);
        try {
            if (command == "Power") {
                if (payload == "OFF" || payload == "0")
                    device.level = 0;
                else if (payload == "ON" || payload == "1")
                    device.level = std::max(device.level, 100.0);
                else
                    return std::nullopt;
            } else if (command == "Dimmer") {
                device.level = std::clamp(std::stod(payload), 0.0, 100.0);
            } else if (command == "CT") {
                device.kelvin = mired_kelvin(std::stod(payload));
            }
        } catch (const std::exception&) {
            return std::nullopt;
        }
        return std::vector<devices::DeviceMessage>{};
    }
    auto body = object(payload);
    if (!body) return std::nullopt;
    if (light.driver == "zigbee2mqtt" || light.driver == "ha-json") {
        apply_json_schema(device, *body, light.driver == "zigbee2mqtt" ? 254 : 255);
        return std::vector<devices::DeviceMessage>{};
    }
    if (light.driver == "wled") {
        if (body->contains("bri") && (*body)["bri"].is_number())
            device.level = from_scale((*body)["bri"].get<double>(), 255);
        if (body->contains("on") && (*body)["on"] == false) device.level = 0;
        if (body->contains("seg") && (*body)["seg"].is_array() && !(*body)["seg"].empty() &&
            (*body)["seg"][0].contains("cct"))
            device.kelvin = (*body)["seg"][0]["cct"].get<int>();
        return std::vector<devices::DeviceMessage>{};
    }
    // shelly-gen2 JSON-RPC
    const auto& params = (*body)["params"];
    if (!params.is_object()) return std::nullopt;
    if (params.contains("brightness") && params["brightness"].is_number())
        device.level = std::clamp(params["brightness"].get<double>(), 0.0, 100.0);
    if (params.contains("on") && params["on"] == false) device.level = 0;
    if (params.contains("ct") && params["ct"].is_number_integer())
        device.kelvin = params["ct"].get<int>();
    std::vector<devices::DeviceMessage> reply;
    if (body->contains("src") && (*body)["src"].is_string()) {
        json response{{"id", body->value("id", 0)},
                      {"src", light.topic},
                      {"dst", (*body)["src"]},
                      {"result", json::object()}};
        reply.push_back({(*body)["src"].get<std::string>() + "/rpc", response.dump()});
    }
    return reply;
}

std::vector<devices::DeviceMessage> state_messages(const config::LightConfig& light,
                                                   const VirtualLight& device) {
    const bool on = device.level > 0;
    const std::string& t = light.topic;
    if (light.driver == "tasmota") {
        json state{{"POWER", on ? "ON" : "OFF"}, {"Dimmer", std::lround(device.level)}};
        if (device.kelvin) state["CT"] = std::lround(1e6 / *device.kelvin);
        return {{"stat/" + t + "/RESULT", state.dump()}};
    }
    if (light.driver == "wled") return {{t + "/g", std::to_string(to_scale(device.level, 255))}};
    if (light.driver == "shelly-gen2") {
        json state{{"id", 0}, {"output", on}, {"brightness", std::lround(device.level)}};
        if (device.kelvin) state["ct"] = *device.kelvin;
        const std::string component = light.color_temp ? "cct:0" : "light:0";
        return {{t + "/status/" + component, state.dump()}};
    }
    const int full = light.driver == "zigbee2mqtt" ? 254 : 255;
    json state{{"state", on ? "ON" : "OFF"}, {"brightness", to_scale(device.level, full)}};
    if (device.kelvin) state["color_temp"] = std::lround(1e6 / *device.kelvin);
    return {{t, state.dump(), 0, true}};  // Zigbee2MQTT retains device state
}

devices::DeviceMessage availability_message(const config::LightConfig& light, bool online) {
    const std::string& t = light.topic;
    if (light.driver == "tasmota")
        return {"tele/" + t + "/LWT", online ? "Online" : "Offline", 1, true};
    if (light.driver == "shelly-gen2") return {t + "/online", online ? "true" : "false", 1, true};
    if (light.driver == "wled") return {t + "/status", online ? "online" : "offline", 1, true};
    if (light.driver == "zigbee2mqtt")
        return {t + "/availability", online ? R"({"state":"online"})" : R"({"state":"offline"})", 1,
                true};
    return {t + "/availability", online ? "online" : "offline", 1, true};
}

}  // namespace haven::simulator
