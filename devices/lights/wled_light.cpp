// WLED: JSON commands on <topic>/api ({"on":true,"bri":0..255,"tt":<100 ms units>}),
// brightness reported on <topic>/g (a plain number, 0 when off), availability on
// <topic>/status. Colour temperature goes to the main segment's "cct", which WLED accepts
// in kelvin.
#include <cmath>
#include <string>

#include "dialects.hpp"
#include "driver_support.hpp"
#include "json_text.hpp"

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

}  // namespace

std::unique_ptr<LightDriver> make_wled_light(const config::LightConfig& light) {
    return std::make_unique<WledLight>(light);
}

}  // namespace haven::lights
