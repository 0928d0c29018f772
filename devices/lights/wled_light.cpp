// WLED: JSON commands on <topic>/api ({"on":true,"bri":0..255,"tt":<100 ms units>}),
// brightness reported on <topic>/g (a plain number, 0 when off), availability on
// <topic>/status. Colour temperature goes to the main segment's "cct", which WLED accepts
// in kelvin.
#include <cmath>
#include <string>

#include "driver_support.hpp"
#include "json_text.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {

constexpr int kFull = 255;

class WledLight final : public LightDriver {
  public:
    explicit WledLight(config::LightConfig light) : light_(std::move(light)) {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis transition) override {
        const double visible = detail::visible_level(level, light_.min_level);
        nlohmann::ordered_json body;
        body["on"] = visible > 0;
        if (visible > 0) body["bri"] = detail::to_device_scale(visible, kFull);
        if (transition > Millis{0}) body["tt"] = std::lround(transition.count() / 100.0);
        if (kelvin && light_.color_temp && visible > 0)
            body["seg"] = nlohmann::ordered_json::array({{{"id", 0}, {"cct", *kelvin}}});
        return {{light_.topic + "/api", json_text(body)}};
    }

    double device_level(double level) const override {
        const double visible = detail::visible_level(level, light_.min_level);
        return detail::from_device_scale(detail::to_device_scale(visible, kFull), kFull);
    }

    std::vector<std::string> subscriptions() const override {
        return {light_.topic + "/g", light_.topic + "/status"};
    }

    FeedbackParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic == light_.topic + "/status") return detail::availability_feedback(payload);
        if (topic != light_.topic + "/g") return {};
        try {
            std::size_t used = 0;
            const int brightness = std::stoi(payload, &used);
            if (used != payload.size() || brightness < 0 || brightness > kFull)
                return detail::ignored("WLED brightness is not a number 0..255");
            return FeedbackParse{
                LightFeedback{.level = detail::from_device_scale(brightness, kFull)}, {}};
        } catch (const std::exception&) {
            return detail::ignored("WLED brightness is not a number 0..255");
        }
    }

  private:
    config::LightConfig light_;
};

// The firmware's side: the JSON API on <topic>/api, brightness reported on <topic>/g.
class WledDevice final : public LightSimulator {
  public:
    std::vector<std::string> command_topics(const config::LightConfig& light) const override {
        return {light.topic + "/api"};
    }

    std::optional<std::vector<devices::DeviceMessage>> apply_command(
        const config::LightConfig&, SimulatedLight& device, const std::string&,
        const std::string& payload) const override {
        auto body = detail::parse_object(payload);
        if (!body) return std::nullopt;
        if (body->contains("bri") && (*body)["bri"].is_number())
            device.level = detail::from_device_scale((*body)["bri"].get<double>(), kFull);
        if (body->contains("on") && (*body)["on"] == false) device.level = 0;
        if (body->contains("seg") && (*body)["seg"].is_array() && !(*body)["seg"].empty() &&
            (*body)["seg"][0].contains("cct"))
            device.kelvin = (*body)["seg"][0]["cct"].get<int>();
        return std::vector<devices::DeviceMessage>{};
    }

    std::vector<devices::DeviceMessage> state_messages(
        const config::LightConfig& light, const SimulatedLight& device) const override {
        return {{light.topic + "/g", std::to_string(detail::simulated_scale(device.level, kFull))}};
    }

    devices::DeviceMessage availability_message(const config::LightConfig& light,
                                                bool online) const override {
        return {light.topic + "/status", online ? "online" : "offline", 1, true};
    }
};

}  // namespace

LightDialect wled_light_dialect() {
    static const WledDevice device;
    return {.entry = {"wled", dimmer_keys()},
            .make_driver = [](const config::LightConfig& light, std::string_view)
                -> std::unique_ptr<LightDriver> { return std::make_unique<WledLight>(light); },
            .simulator = &device};
}

}  // namespace haven::lights
