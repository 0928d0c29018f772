// Tasmota dimmers: cmnd/<topic>/Dimmer 0..100, cmnd/<topic>/CT <mired 153..500>,
// cmnd/<topic>/Power OFF; state from stat/<topic>/RESULT and tele/<topic>/STATE,
// availability from tele/<topic>/LWT. Tasmota has no per-command transition (its Fade/Speed
// are device-wide settings capped near 20 s), so each step is sent plainly.
#include <algorithm>
#include <cmath>

#include "driver_support.hpp"
#include "light_dialect.hpp"
#include "json_text.hpp"

namespace haven::lights {
namespace {

std::string cmnd(const config::LightConfig& light, const char* command) {
    return "cmnd/" + light.topic + "/" + command;
}

class TasmotaLight final : public LightDriver {
  public:
    explicit TasmotaLight(config::LightConfig light) : light_(std::move(light)) {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis /*transition*/) override {
        const double visible = detail::visible_level(level, light_.min_level);
        if (visible <= 0) return {{cmnd(light_, "Power"), "OFF"}};
        std::vector<devices::DeviceMessage> out;
        if (kelvin && light_.color_temp) {
            const int mired = std::clamp(detail::kelvin_to_mired(*kelvin), 153, 500);
            out.push_back({cmnd(light_, "CT"), std::to_string(mired)});
        }
        out.push_back(
            {cmnd(light_, "Dimmer"), std::to_string(detail::to_device_scale(visible, 100))});
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
    config::LightConfig light_;
};

// The firmware's side: each command topic sets one thing; state goes to stat/<topic>/RESULT.
class TasmotaDevice final : public LightSimulator {
  public:
    std::vector<std::string> command_topics(const config::LightConfig& light) const override {
        return {cmnd(light, "Dimmer"), cmnd(light, "CT"), cmnd(light, "Power")};
    }

    std::optional<std::vector<devices::DeviceMessage>> apply_command(
        const config::LightConfig&, SimulatedLight& device, const std::string& topic,
        const std::string& payload) const override {
        const std::string command = topic.substr(topic.rfind('/') + 1);
        try {
            if (command == "Power") return power(device, payload);
            if (command == "Dimmer") device.level = std::clamp(std::stod(payload), 0.0, 100.0);
            if (command == "CT") device.kelvin = detail::mired_to_kelvin(std::stod(payload));
        } catch (const std::exception&) {
            return std::nullopt;
        }
        return std::vector<devices::DeviceMessage>{};
    }

    std::vector<devices::DeviceMessage> state_messages(
        const config::LightConfig& light, const SimulatedLight& device) const override {
        nlohmann::json state{{"POWER", device.level > 0 ? "ON" : "OFF"},
                             {"Dimmer", std::lround(device.level)}};
        if (device.kelvin) state["CT"] = std::lround(1e6 / *device.kelvin);
        return {{"stat/" + light.topic + "/RESULT", json_text(state)}};
    }

    devices::DeviceMessage availability_message(const config::LightConfig& light,
                                                bool online) const override {
        return {"tele/" + light.topic + "/LWT", online ? "Online" : "Offline", 1, true};
    }

  private:
    // Power ON keeps a lit dimmer's level and lights a dark one fully, like the firmware.
    static std::optional<std::vector<devices::DeviceMessage>> power(SimulatedLight& device,
                                                                    const std::string& payload) {
        if (payload == "OFF" || payload == "0")
            device.level = 0;
        else if (payload == "ON" || payload == "1")
            device.level = std::max(device.level, 100.0);
        else
            return std::nullopt;
        return std::vector<devices::DeviceMessage>{};
    }
};

}  // namespace

LightDialect tasmota_light_dialect() {
    static const TasmotaDevice device;
    return {.entry = {"tasmota", dimmer_keys()},
            .make_driver = [](const config::LightConfig& light, std::string_view)
                -> std::unique_ptr<LightDriver> { return std::make_unique<TasmotaLight>(light); },
            .simulator = &device};
}

}  // namespace haven::lights
