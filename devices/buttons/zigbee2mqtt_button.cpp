// Zigbee2MQTT remotes publish their state on <topic>; a press sets the `action` field
// (values differ by model: single, double, hold, on_press_release, brightness_up_click...).
// Other updates (battery, linkquality) and the empty action Z2M sends after a press are
// not presses.
#include <nlohmann/json.hpp>

#include "button_dialect.hpp"
#include "json_text.hpp"

namespace haven::buttons {
namespace {

class Zigbee2MqttButton final : public ButtonDriver {
  public:
    explicit Zigbee2MqttButton(config::ButtonConfig button) : button_(std::move(button)) {}

    std::vector<std::string> subscriptions() const override { return {button_.topic}; }
    std::optional<std::string> availability_topic() const override {
        return button_.topic + "/availability";
    }

    ButtonParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic != button_.topic) return {};
        const auto json = nlohmann::json::parse(payload, nullptr, false);
        if (json.is_discarded() || !json.is_object())
            return {{}, "Zigbee2MQTT payload is not a JSON object"};
        const auto action = json.find("action");
        if (action == json.end() || action->is_null()) return {};
        if (!action->is_string()) return {{}, "Zigbee2MQTT action is not a string"};
        if (action->get<std::string>().empty()) return {};
        return {{action->get<std::string>()}, {}};
    }

  private:
    config::ButtonConfig button_;
};

}  // namespace

ButtonDialect zigbee2mqtt_button_dialect() {
    return {.entry = {"zigbee2mqtt", {}},
            .make_driver = [](const config::ButtonConfig& button) -> std::unique_ptr<ButtonDriver> {
                return std::make_unique<Zigbee2MqttButton>(button);
            },
            .press_message =
                [](const config::ButtonConfig& button, const std::string& action) {
                    return devices::DeviceMessage{button.topic,
                                                  json_text(nlohmann::json{{"action", action}})};
                }};
}

}  // namespace haven::buttons
