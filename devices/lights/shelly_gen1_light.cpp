// Shelly Gen1 dimmers (Dimmer 2, Duo, RGBW2 in white mode) over their native MQTT: commands on
// <topic>/<component>/<channel>/set as {"turn":"on","brightness":1..100,"transition":ms}
// (Duo: also "temp" 2700..6500 K), status as {"ison":true,"brightness":N,"temp":K} on
// <topic>/<component>/<channel>/status, availability "true"/"false" on <topic>/online, where
// <topic> is shellies/<device id> and <component> is "light" (Dimmer 2, Duo) or "white"
// (RGBW2 in white mode). Source: Shelly Gen1 API docs, "MQTT" section of each device
// (shellies/<id>/light/<i>/set; RGBW2 white mode: shellies/<id>/white/<i>/set).
#include <algorithm>
#include <cmath>

#include "driver_support.hpp"
#include "json_text.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {

constexpr int kWarmestDuo = 2700;
constexpr int kColdestDuo = 6500;
constexpr long kMaxTransitionMs = 5000;  // the firmware's limit

std::string base_of(const config::LightConfig& light) {
    const std::string component = light.component.empty() ? "light" : light.component;
    return light.topic + "/" + component + "/" + std::to_string(light.channel);
}

class ShellyGen1Light final : public LightDriver {
  public:
    explicit ShellyGen1Light(config::LightConfig light)
        : light_(std::move(light)), base_(base_of(light_)) {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis transition) override {
        const double visible = detail::visible_level(level, light_.min_level);
        nlohmann::ordered_json body;
        body["turn"] = visible > 0 ? "on" : "off";
        if (visible > 0) body["brightness"] = detail::to_device_scale(visible, 100);
        if (kelvin && light_.color_temp && visible > 0)
            body["temp"] = std::clamp(*kelvin, kWarmestDuo, kColdestDuo);
        if (transition > Millis{0})
            body["transition"] = std::min<long>(transition.count(), kMaxTransitionMs);
        return {{base_ + "/set", json_text(body)}};
    }

    double device_level(double level) const override {
        return detail::to_device_scale(detail::visible_level(level, light_.min_level), 100);
    }

    std::vector<std::string> subscriptions() const override {
        return {base_ + "/status", light_.topic + "/online"};
    }

    FeedbackParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic == light_.topic + "/online") return detail::availability_feedback(payload);
        if (topic != base_ + "/status") return {};
        auto json = detail::parse_object(payload);
        if (!json) return detail::ignored("Shelly status is not a JSON object");
        LightFeedback feedback;
        if (auto on = json->find("ison"); on != json->end()) {
            if (!on->is_boolean()) return detail::ignored("Shelly ison is not a boolean");
            if (!on->get<bool>()) feedback.level = 0.0;
        }
        if (auto brightness = json->find("brightness");
            brightness != json->end() && brightness->is_number() && !feedback.level)
            feedback.level = std::clamp(brightness->get<double>(), 0.0, 100.0);
        if (auto temp = json->find("temp"); temp != json->end() && temp->is_number_integer())
            feedback.kelvin = temp->get<int>();
        if (!feedback.level && !feedback.kelvin)
            return detail::ignored("Shelly status carries no light state");
        return FeedbackParse{feedback, {}};
    }

  private:
    config::LightConfig light_;
    std::string base_;
};

// The firmware's side: .../set takes the JSON command; state goes to .../status.
class ShellyGen1Device final : public LightSimulator {
  public:
    std::vector<std::string> command_topics(const config::LightConfig& light) const override {
        return {base_of(light) + "/set"};
    }

    std::optional<std::vector<devices::DeviceMessage>> apply_command(
        const config::LightConfig&, SimulatedLight& device, const std::string&,
        const std::string& payload) const override {
        auto body = detail::parse_object(payload);
        if (!body) return std::nullopt;
        const auto turn = body->find("turn");
        if (turn != body->end() && *turn == "off") {
            device.level = 0;
        } else if (auto brightness = body->find("brightness");
                   brightness != body->end() && brightness->is_number()) {
            device.level = std::clamp(brightness->get<double>(), 0.0, 100.0);
        } else if (turn != body->end() && *turn == "on" && device.level == 0) {
            device.level = 100;
        }
        if (auto temp = body->find("temp"); temp != body->end() && temp->is_number_integer())
            device.kelvin = temp->get<int>();
        return std::vector<devices::DeviceMessage>{};
    }

    std::vector<devices::DeviceMessage> state_messages(
        const config::LightConfig& light, const SimulatedLight& device) const override {
        nlohmann::json state{{"ison", device.level > 0}, {"brightness", std::lround(device.level)}};
        if (device.kelvin) state["temp"] = *device.kelvin;
        return {{base_of(light) + "/status", json_text(state)}};
    }

    devices::DeviceMessage availability_message(const config::LightConfig& light,
                                                bool online) const override {
        return {light.topic + "/online", online ? "true" : "false", 1, true};
    }
};

}  // namespace

LightDialect shelly_gen1_light_dialect() {
    static const ShellyGen1Device device;
    auto keys = dimmer_keys();
    keys.push_back("channel");
    keys.push_back("component");
    return {.entry = {"shelly-gen1", keys},
            .make_driver = [](const config::LightConfig& light,
                              std::string_view) -> std::unique_ptr<LightDriver> {
                return std::make_unique<ShellyGen1Light>(light);
            },
            .simulator = &device,
            .step_interval = Millis{500}};
}

}  // namespace haven::lights
