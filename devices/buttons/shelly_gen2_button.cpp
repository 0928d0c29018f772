// Shelly Gen2 inputs (i4, Plus i4) in button mode send JSON-RPC
// notifications on <topic>/events/rpc: {"method":"NotifyEvent","params":{"events":
// [{"component":"input:0","id":0,"event":"single_push"}]}}. Events: single_push,
// double_push, triple_push, long_push, btn_down, btn_up. Shelly BLU buttons are not these:
// they report through a gateway's BTHome components (bthomedevice:N), not input:N, and are
// not supported yet.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "button_dialect.hpp"
#include "json_text.hpp"

namespace haven::buttons {
namespace {

// The string at `key`, or "" when it is missing or not a string: json::value() throws
// type_error for a key of another type, and a device's message must never crash the room.
std::string string_field(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

class ShellyGen2Button final : public ButtonDriver {
  public:
    explicit ShellyGen2Button(config::ButtonConfig button) : button_(std::move(button)) {}

    std::vector<std::string> subscriptions() const override { return {events_topic()}; }
    std::optional<std::string> availability_topic() const override {
        return button_.topic + "/online";
    }

    ButtonParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic != events_topic()) return {};
        const auto json = nlohmann::json::parse(payload, nullptr, false);
        if (json.is_discarded() || !json.is_object())
            return {{}, "Shelly event is not a JSON object"};
        if (string_field(json, "method") != "NotifyEvent") return {};  // status updates
        const auto params = json.find("params");
        if (params == json.end() || !params->is_object() || !params->contains("events") ||
            !(*params)["events"].is_array())
            return {{}, "Shelly NotifyEvent has no events list"};
        for (const auto& event : (*params)["events"]) {
            if (!event.is_object()) continue;
            const std::string component = string_field(event, "component");
            if (component.rfind("input:", 0) != 0 || !event.contains("event") ||
                !event["event"].is_string())
                continue;
            const std::string id = component.substr(6);
            const std::string name = event["event"].get<std::string>();
            std::vector<std::string> actions{"input" + id + "_" + name};
            if (id == "0") actions.push_back(name);
            return {actions, {}};
        }
        return {};
    }

  private:
    std::string events_topic() const { return button_.topic + "/events/rpc"; }

    config::ButtonConfig button_;
};

// The device's side of a press: "input1_long_push" -> {1, "long_push"}; "single_push" ->
// {0, "single_push"}.
std::pair<std::string, std::string> input_and_event(const std::string& action) {
    const auto underscore = action.find('_');
    if (action.rfind("input", 0) == 0 && underscore != std::string::npos && underscore > 5) {
        const std::string id = action.substr(5, underscore - 5);
        if (std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); }))
            return {id, action.substr(underscore + 1)};
    }
    return {"0", action};
}

devices::DeviceMessage press_message(const config::ButtonConfig& button,
                                     const std::string& action) {
    using nlohmann::json;
    const std::string& t = button.topic;
    const auto [id, name] = input_and_event(action);
    json event{{"component", "input:" + id}, {"id", std::stoi(id)}, {"event", name}};
    json body{{"src", t},
              {"dst", t + "/events"},
              {"method", "NotifyEvent"},
              {"params", {{"events", json::array({event})}}}};
    return {t + "/events/rpc", json_text(body)};
}

}  // namespace

ButtonDialect shelly_gen2_button_dialect() {
    return {.entry = {"shelly-gen2", {}},
            .make_driver = [](const config::ButtonConfig& button) -> std::unique_ptr<ButtonDriver> {
                return std::make_unique<ShellyGen2Button>(button);
            },
            .press_message = press_message};
}

}  // namespace haven::buttons
