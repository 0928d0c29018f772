#pragma once
// One row per button dialect: its `driver:` name and config keys, its driver and its
// simulated device. A dialect is one file defining its row (<dialect>_button.cpp) plus that
// row named in button_dialects.cpp; nothing else in Haven names a dialect.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "button_driver.hpp"
#include "device_message.hpp"
#include "dialect_catalogue.hpp"

namespace haven::buttons {

struct ButtonDialect {
    config::DialectEntry entry;  // what the config loader accepts for this dialect
    std::unique_ptr<ButtonDriver> (*make_driver)(const config::ButtonConfig& button);
    // The real device's side, for `haven simulate-room`: the message a press sends for an
    // action name as the driver reads it back ("single", "button2_double", ...).
    devices::DeviceMessage (*press_message)(const config::ButtonConfig& button,
                                            const std::string& action);
};

// Every button dialect, in the order diagnostics list them.
const std::vector<ButtonDialect>& button_dialects();

// The row whose entry is named `driver`; nullptr for none.
const ButtonDialect* find_button_dialect(std::string_view driver);

}  // namespace haven::buttons
