// Shelly Gen1 inputs (i3, Dimmer 2's SW1/SW2, Button1) report presses on
// shellies/<id>/input_event/<n> as {"event":"S","event_cnt":12}. Events (Shelly Gen1 API
// docs, i3 "MQTT"): S short, SS double, SSS triple, L long, SL short-long, LS long-short; ""
// when the input has not been pressed since boot. Haven's action names: single, double,
// triple, long, short_long, long_short; input 0's also bare, others as input1_double.
#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "button_dialect.hpp"
#include "json_text.hpp"

namespace haven::buttons {
namespace {

constexpr std::array<std::pair<const char*, const char*>, 6> kEvents{{{"S", "single"},
                                                                      {"SS", "double"},
                                                                      {"SSS", "triple"},
                                                                      {"L", "long"},
                                                                      {"SL", "short_long"},
                                                                      {"LS", "long_short"}}};

class ShellyGen1Button final : public ButtonDriver {
  public:
    explicit ShellyGen1Button(config::ButtonConfig button) : button_(std::move(button)) {}

    // Exact topics, not input_event/+: the router matches topics exactly, and no Gen1 device
    // has more than four inputs (i3: 3, Dimmer 2: 2, i4 is Gen2).
    std::vector<std::string> subscriptions() const override {
        return {prefix() + "0", prefix() + "1", prefix() + "2", prefix() + "3"};
    }
    std::optional<std::string> availability_topic() const override {
        return button_.topic + "/online";
    }

    ButtonParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic.rfind(prefix(), 0) != 0) return {};
        const std::string input = topic.substr(prefix().size());
        if (input.empty() || input.size() > 2 ||
            input.find_first_not_of("0123456789") != std::string::npos)
            return {{}, "Shelly input_event topic has no input number"};
        const auto json = nlohmann::json::parse(payload, nullptr, false);
        if (json.is_discarded() || !json.is_object())
            return {{}, "Shelly input_event is not a JSON object"};
        const auto event = json.find("event");
        if (event == json.end() || !event->is_string())
            return {{}, "Shelly input_event carries no event"};
        if (event->get<std::string>().empty()) return {};  // not pressed since boot
        for (const auto& [code, name] : kEvents) {
            if (*event != code) continue;
            std::vector<std::string> actions{"input" + input + "_" + name};
            if (input == "0") actions.push_back(name);
            return {actions, {}};
        }
        return {{}, "Shelly input_event has an unknown event"};
    }

  private:
    std::string prefix() const { return button_.topic + "/input_event/"; }

    config::ButtonConfig button_;
};

// The device's side: "input1_double" -> input_event/1 {"event":"SS"}; "single" -> input 0.
devices::DeviceMessage press_message(const config::ButtonConfig& button,
                                     const std::string& action) {
    std::string input = "0";
    std::string name = action;
    if (action.rfind("input", 0) == 0 && action.find('_') != std::string::npos) {
        input = action.substr(5, action.find('_') - 5);
        name = action.substr(action.find('_') + 1);
    }
    std::string code = "S";
    for (const auto& [device_code, haven_name] : kEvents)
        if (name == haven_name) code = device_code;
    return {button.topic + "/input_event/" + input,
            json_text(nlohmann::json{{"event", code}, {"event_cnt", 1}})};
}

}  // namespace

ButtonDialect shelly_gen1_button_dialect() {
    return {.entry = {"shelly-gen1", {}},
            .make_driver = [](const config::ButtonConfig& button) -> std::unique_ptr<ButtonDriver> {
                return std::make_unique<ShellyGen1Button>(button);
            },
            .press_message = press_message};
}

}  // namespace haven::buttons
