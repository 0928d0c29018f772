// Tasmota dimmers: cmnd/<topic>/Dimmer 0..100, or with a colour temperature one
// cmnd/<topic>/Backlog0 "Dimmer N; CT <mired 153..500>", and cmnd/<topic>/Power OFF; state
// from stat/<topic>/RESULT and tele/<topic>/STATE, availability from tele/<topic>/LWT.
// Tasmota has no per-command transition (its Fade/Speed are device-wide settings capped near
// 20 s), so each step is sent plainly.
//
// Why Backlog0, Dimmer first: Dimmer and CT each power a dark light on, and a bare CT does so
// at the stored brightness, a flash before the Dimmer after it lands. Backlog0 runs its
// commands in one go with no delay between them (tasmota/support_command.ino, CmndBacklog:
// "Backlog0 command1;command2;.. Execute commands in sequence with no delay"), and Dimmer first
// lights the room at the level Haven asked for.
//
// Tasmota's LedTable (on by default) already maps Dimmer perceptually, so the dialect's
// default curve is linear: Haven's own CIE L* curve on top would correct twice.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "driver_support.hpp"
#include "json_text.hpp"
#include "light_dialect.hpp"

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
        const std::string dimmer = std::to_string(detail::to_device_scale(visible, 100));
        if (!kelvin || !light_.color_temp) return {{cmnd(light_, "Dimmer"), dimmer}};
        const int mired = std::clamp(detail::kelvin_to_mired(*kelvin), 153, 500);
        return {{cmnd(light_, "Backlog0"), "Dimmer " + dimmer + "; CT " + std::to_string(mired)}};
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
        return {cmnd(light, "Dimmer"), cmnd(light, "CT"), cmnd(light, "Power"),
                cmnd(light, "Backlog0")};
    }

    std::optional<std::vector<devices::DeviceMessage>> apply_command(
        const config::LightConfig&, SimulatedLight& device, const std::string& topic,
        const std::string& payload) const override {
        const std::string command = topic.substr(topic.rfind('/') + 1);
        if (command != "Backlog0") return run(device, command, payload);
        // "Dimmer 40; CT 370": each command and its argument, in order.
        std::stringstream backlog{payload};
        for (std::string one; std::getline(backlog, one, ';');) {
            std::stringstream words{one};
            std::string name, argument;
            words >> name >> argument;
            if (!run(device, name, argument)) return std::nullopt;
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
    static std::optional<std::vector<devices::DeviceMessage>> run(SimulatedLight& device,
                                                                  const std::string& command,
                                                                  const std::string& argument) {
        try {
            if (command == "Power") return power(device, argument);
            if (command == "Dimmer") device.level = std::clamp(std::stod(argument), 0.0, 100.0);
            if (command == "CT") device.kelvin = detail::mired_to_kelvin(std::stod(argument));
        } catch (const std::exception&) {
            return std::nullopt;
        }
        return std::vector<devices::DeviceMessage>{};
    }

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
            .simulator = &device,
            .default_curve = config::LightCurve::linear};
}

}  // namespace haven::lights
