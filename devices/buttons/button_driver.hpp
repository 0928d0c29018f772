#pragma once
// One cue button's MQTT dialect: reads a vendor's press message into action names that a
// room's `actions:` map can name. Pure and single-threaded (the control loop's thread).
//
// Action names per dialect (the keys to use in a button's `actions:`):
//   zigbee2mqtt  the `action` field verbatim: single, double, hold, on_press_release, ...
//   tasmota      {"Button1":{"Action":"SINGLE"}} -> "button1_single", also "single" for
//                Button1/Switch1; {"Switch2":{"Action":"TOGGLE"}} -> "switch2_toggle"
//   shelly-gen2  input event single_push on input:0 -> "input0_single_push", also
//                "single_push" for input:0
//   generic      the payload itself (surrounding whitespace trimmed)

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "room_config.hpp"

namespace haven::buttons {

// Candidate action names, most specific first; empty when the message is no press. Then
// `ignored` says why when the message was malformed (empty: just not a press, e.g. a
// battery report).
struct ButtonParse {
    std::vector<std::string> actions;
    std::string ignored;
};

class ButtonDriver {
  public:
    virtual ~ButtonDriver() = default;
    virtual std::vector<std::string> subscriptions() const = 0;
    virtual ButtonParse on_message(const std::string& topic, const std::string& payload) const = 0;
    // Where the dialect reports whether the device is online (Zigbee2MQTT <topic>/availability,
    // Tasmota tele/<topic>/LWT, Shelly <topic>/online); empty when it does not (generic).
    virtual std::optional<std::string> availability_topic() const { return std::nullopt; }
};

// Picks the dialect by ButtonConfig::driver; throws std::invalid_argument for unknown names.
std::unique_ptr<ButtonDriver> make_button_driver(const config::ButtonConfig& button);

const std::vector<std::string>& button_driver_names();

}  // namespace haven::buttons
