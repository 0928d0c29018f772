// Shelly Gen2/Gen3 dimmers over JSON-RPC: requests on <topic>/rpc, status notifications on
// <topic>/events/rpc and <topic>/status/<component>:<channel>, availability on <topic>/online.
// A plain dimmer is the Light component (Light.Set); a tunable-white light (color_temp) is
// the CCT component (CCT.Set, "ct" in kelvin). `channel` is the component's id: 0 on most
// dimmers, 0 or 1 on a two-channel Pro Dimmer 2PM (Shelly API docs, Light component:
// "id: Id of the Light component instance").
#include <algorithm>
#include <cmath>

#include "driver_support.hpp"
#include "json_text.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {

class ShellyGen2Light final : public LightDriver {
  public:
    ShellyGen2Light(config::LightConfig light, std::string_view source)
        : light_(std::move(light)),
          source_(source),
          component_(light_.color_temp ? "cct" : "light"),
          method_(light_.color_temp ? "CCT.Set" : "Light.Set") {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis transition) override {
        const double visible = detail::visible_level(level, light_.min_level);
        nlohmann::ordered_json params;
        params["id"] = light_.channel;
        params["on"] = visible > 0;
        if (visible > 0) params["brightness"] = detail::to_device_scale(visible, 100);
        if (kelvin && light_.color_temp && visible > 0) params["ct"] = *kelvin;
        if (transition > Millis{0}) params["transition_duration"] = transition.count() / 1000.0;
        nlohmann::ordered_json request;
        request["id"] = ++request_id_;
        request["src"] = source_;
        request["method"] = method_;
        request["params"] = std::move(params);
        return {{light_.topic + "/rpc", json_text(request)}};
    }

    double device_level(double level) const override {
        return detail::to_device_scale(detail::visible_level(level, light_.min_level), 100);
    }

    std::vector<std::string> subscriptions() const override {
        return {light_.topic + "/online", status_topic(), light_.topic + "/events/rpc"};
    }

    FeedbackParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic == light_.topic + "/online") return detail::availability_feedback(payload);
        if (topic == status_topic()) {
            auto json = detail::parse_object(payload);
            if (!json) return detail::ignored("Shelly status is not a JSON object");
            return read_component(*json);
        }
        if (topic != light_.topic + "/events/rpc") return {};
        auto json = detail::parse_object(payload);
        if (!json) return detail::ignored("Shelly event is not a JSON object");
        const auto params = json->find("params");
        const std::string key = component_ + ":" + std::to_string(light_.channel);
        if (params == json->end() || !params->is_object() || !params->contains(key) ||
            !(*params)[key].is_object())
            return detail::ignored("Shelly event does not concern " + key);
        return read_component((*params)[key]);
    }

  private:
    std::string status_topic() const {
        return light_.topic + "/status/" + component_ + ":" + std::to_string(light_.channel);
    }

    // {"output":true,"brightness":30,"ct":2700}; notifications may carry only part of it.
    static FeedbackParse read_component(const nlohmann::json& status) {
        LightFeedback feedback;
        if (auto output = status.find("output"); output != status.end()) {
            if (!output->is_boolean()) return detail::ignored("Shelly output is not a boolean");
            if (!output->get<bool>()) feedback.level = 0.0;
        }
        if (auto brightness = status.find("brightness");
            brightness != status.end() && brightness->is_number() && !feedback.level)
            feedback.level = std::clamp(brightness->get<double>(), 0.0, 100.0);
        if (auto ct = status.find("ct"); ct != status.end() && ct->is_number_integer())
            feedback.kelvin = ct->get<int>();
        if (!feedback.level && !feedback.kelvin)
            return detail::ignored("Shelly status carries no light state");
        return FeedbackParse{feedback, {}};
    }

    config::LightConfig light_;
    std::string source_;
    std::string component_;
    std::string method_;
    long request_id_ = 0;
};

// The firmware's side: JSON-RPC requests on <topic>/rpc, answered on <src>/rpc, and the
// component's status on <topic>/status/<component>:0.
class ShellyGen2Device final : public LightSimulator {
  public:
    std::vector<std::string> command_topics(const config::LightConfig& light) const override {
        return {light.topic + "/rpc"};
    }

    std::optional<std::vector<devices::DeviceMessage>> apply_command(
        const config::LightConfig& light, SimulatedLight& device, const std::string&,
        const std::string& payload) const override {
        auto body = detail::parse_object(payload);
        if (!body) return std::nullopt;
        const auto& params = (*body)["params"];
        if (!params.is_object()) return std::nullopt;
        // Several lights share one device topic: each answers only its own component id.
        const auto id = params.find("id");
        if (id == params.end() || !id->is_number_integer()) return std::nullopt;
        if (id->get<int>() != light.channel) return std::vector<devices::DeviceMessage>{};
        if (params.contains("brightness") && params["brightness"].is_number())
            device.level = std::clamp(params["brightness"].get<double>(), 0.0, 100.0);
        if (params.contains("on") && params["on"] == false) device.level = 0;
        if (params.contains("ct") && params["ct"].is_number_integer())
            device.kelvin = params["ct"].get<int>();
        return response(light, *body);
    }

    std::vector<devices::DeviceMessage> state_messages(
        const config::LightConfig& light, const SimulatedLight& device) const override {
        nlohmann::json state{{"id", light.channel},
                             {"output", device.level > 0},
                             {"brightness", std::lround(device.level)}};
        if (device.kelvin) state["ct"] = *device.kelvin;
        const std::string component =
            (light.color_temp ? "cct:" : "light:") + std::to_string(light.channel);
        return {{light.topic + "/status/" + component, json_text(state)}};
    }

    devices::DeviceMessage availability_message(const config::LightConfig& light,
                                                bool online) const override {
        return {light.topic + "/online", online ? "true" : "false", 1, true};
    }

  private:
    // The RPC response, to the sender's <src>/rpc; none for a request without a sender.
    static std::vector<devices::DeviceMessage> response(const config::LightConfig& light,
                                                        const nlohmann::json& request) {
        if (!request.contains("src") || !request["src"].is_string()) return {};
        nlohmann::json body{{"id", request.value("id", 0)},
                            {"src", light.topic},
                            {"dst", request["src"]},
                            {"result", nlohmann::json::object()}};
        return {{request["src"].get<std::string>() + "/rpc", json_text(body)}};
    }
};

}  // namespace

LightDialect shelly_gen2_light_dialect() {
    static const ShellyGen2Device device;
    auto keys = dimmer_keys();
    keys.push_back("channel");
    return {.entry = {"shelly-gen2", keys},
            .make_driver = [](const config::LightConfig& light,
                              std::string_view source) -> std::unique_ptr<LightDriver> {
                return std::make_unique<ShellyGen2Light>(light, source);
            },
            .simulator = &device};
}

}  // namespace haven::lights
