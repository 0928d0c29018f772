// Tasmota buttons and switches (with SetOption73/114 decoupled from relays) report on
// stat/<topic>/RESULT: {"Button1":{"Action":"SINGLE"}} or {"Switch2":{"Action":"TOGGLE"}}.
// RESULT also carries every command reply, which are not presses.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "button_dialect.hpp"
#include "json_text.hpp"
#include "text_case.hpp"

namespace haven::buttons {
namespace {

// "Button1" / "Switch12" -> true; the number must follow the word directly.
bool is_input_key(const std::string& key) {
    for (const std::string word : {"button", "switch"}) {
        const std::string low = ascii_lower(key);
        if (low.rfind(word, 0) == 0 && low.size() > word.size() &&
            std::all_of(low.begin() + word.size(), low.end(),
                        [](unsigned char c) { return std::isdigit(c); }))
            return true;
    }
    return false;
}

class TasmotaButton final : public ButtonDriver {
  public:
    explicit TasmotaButton(config::ButtonConfig button) : button_(std::move(button)) {}

    std::vector<std::string> subscriptions() const override { return {result_topic()}; }
    std::optional<std::string> availability_topic() const override {
        return "tele/" + button_.topic + "/LWT";
    }

    ButtonParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic != result_topic()) return {};
        const auto json = nlohmann::json::parse(payload, nullptr, false);
        if (json.is_discarded() || !json.is_object())
            return {{}, "Tasmota result is not a JSON object"};
        for (const auto& [key, value] : json.items()) {
            if (!is_input_key(key)) continue;
            const auto action = value.is_object() ? value.find("Action") : value.end();
            if (!value.is_object() || action == value.end() || !action->is_string())
                return {{}, "Tasmota " + key + " carries no Action"};
            const std::string input = ascii_lower(key);
            const std::string name = ascii_lower(action->get<std::string>());
            std::vector<std::string> actions{input + "_" + name};
            if (input == "button1" || input == "switch1") actions.push_back(name);
            return {actions, {}};
        }
        return {};
    }

  private:
    std::string result_topic() const { return "stat/" + button_.topic + "/RESULT"; }

    config::ButtonConfig button_;
};

// The device's side of a press: "button2_double" -> {"Button2", "DOUBLE"}; "single" ->
// {"Button1", "SINGLE"}.
std::pair<std::string, std::string> input_and_action(const std::string& action) {
    std::string input = "Button1";
    std::string name = action;
    const auto underscore = action.find('_');
    if (underscore != std::string::npos &&
        (action.rfind("button", 0) == 0 || action.rfind("switch", 0) == 0)) {
        input = action.substr(0, underscore);
        input[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(input[0])));
        name = action.substr(underscore + 1);
    }
    for (char& c : name)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return {input, name};
}

}  // namespace

ButtonDialect tasmota_button_dialect() {
    return {.entry = {"tasmota", {}},
            .make_driver = [](const config::ButtonConfig& button) -> std::unique_ptr<ButtonDriver> {
                return std::make_unique<TasmotaButton>(button);
            },
            .press_message =
                [](const config::ButtonConfig& button, const std::string& action) {
                    const auto [input, name] = input_and_action(action);
                    return devices::DeviceMessage{
                        "stat/" + button.topic + "/RESULT",
                        json_text(nlohmann::json{{input, {{"Action", name}}}})};
                }};
}

}  // namespace haven::buttons
