// Tasmota dimmers: cmnd/<topic>/Dimmer 0..100, cmnd/<topic>/CT <mired 153..500>,
// cmnd/<topic>/Power OFF; state from stat/<topic>/RESULT and tele/<topic>/STATE,
// availability from tele/<topic>/LWT. Tasmota has no per-command transition (its Fade/Speed
// are device-wide settings capped near 20 s), so each step is sent plainly.
#include <algorithm>
#include <cmath>

#include "dialects.hpp"
#include "driver_support.hpp"

namespace haven::lights {
namespace {

class TasmotaLight final : public LightDriver {
  public:
    explicit TasmotaLight(config::LightConfig light) : light_(std::move(light)) {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis /*transition*/) override {
        const double visible = detail::visible_level(level, light_.min_level);
        if (visible <= 0) return {{cmnd("Power"), "OFF"}};
        std::vector<devices::DeviceMessage> out;
        if (kelvin && light_.color_temp) {
            const int mired = std::clamp(detail::kelvin_to_mired(*kelvin), 153, 500);
            out.push_back({cmnd("CT"), std::to_string(mired)});
        }
        out.push_back({cmnd("Dimmer"), std::to_string(detail::to_device_scale(visible, 100))});
        return out;
    }

    double device_level(double level) const override {
        const double visible = detail::visible_level(level, light_.min_level);
        return detail::to_device_scale(visible, 100);
    }

    std::vector<std::string> subscriptions() const override {
        return {"stat/" + light_.topic + "/RESULT", "tele/" + light_.topic + "/STATE",
                "tele/" + light_.topic + "/LWT"};
    }

    FeedbackParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic == "tele/" + light_.topic + "/LWT") return detail::availability_feedback(payload);
        if (topic != "stat/" + light_.topic + "/RESULT" &&
            topic != "tele/" + light_.topic + "/STATE")
            return {};
        auto json = detail::parse_object(payload);
        if (!json) return detail::ignored("Tasmota state is not a JSON object");
        LightFeedback feedback;
        if (auto power = json->find("POWER"); power != json->end()) {
            auto on = detail::parse_on_off(*power);
            if (!on) return detail::ignored("POWER is neither ON nor OFF");
            if (!*on) feedback.level = 0.0;
        }
        if (auto dimmer = json->find("Dimmer");
            dimmer != json->end() && dimmer->is_number() && !feedback.level)
            feedback.level = std::clamp(dimmer->get<double>(), 0.0, 100.0);
        if (auto ct = json->find("CT"); ct != json->end() && ct->is_number())
            feedback.kelvin = detail::mired_to_kelvin(ct->get<double>());
        if (!feedback.level && !feedback.kelvin)
            return detail::ignored("Tasmota result carries no light state");
        return FeedbackParse{feedback, {}};
    }

  private:
    std::string cmnd(const char* command) const { return "cmnd/" + light_.topic + "/" + command; }

    config::LightConfig light_;
};

}  // namespace

std::unique_ptr<LightDriver> make_tasmota_light(const config::LightConfig& light) {
    return std::make_unique<TasmotaLight>(light);
}

}  // namespace haven::lights
