// Any device that publishes a fixed payload on a topic (ESPHome, Node-RED, a script):
// the payload itself is the action, matched after trimming surrounding whitespace and, as every
// button action, without case.
#include "button_dialect.hpp"

namespace haven::buttons {
namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

class GenericButton final : public ButtonDriver {
  public:
    explicit GenericButton(config::ButtonConfig button) : button_(std::move(button)) {}

    std::vector<std::string> subscriptions() const override { return {button_.topic}; }

    ButtonParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic != button_.topic) return {};
        std::string action = trimmed(payload);
        if (action.empty()) return {{}, "empty payload"};
        return {{std::move(action)}, {}};
    }

  private:
    config::ButtonConfig button_;
};

}  // namespace

ButtonDialect generic_button_dialect() {
    return {.entry = {"generic", {}},
            .make_driver = [](const config::ButtonConfig& button) -> std::unique_ptr<ButtonDriver> {
                return std::make_unique<GenericButton>(button);
            },
            .press_message =
                [](const config::ButtonConfig& button, const std::string& action) {
                    return devices::DeviceMessage{button.topic, action};
                }};
}

}  // namespace haven::buttons
