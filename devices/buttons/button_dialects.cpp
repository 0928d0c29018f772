// The button registry: one declaration and one row per dialect. The config loader, the driver
// factory and the simulator all read their dialects from here.
#include "button_dialect.hpp"

namespace haven::buttons {

// Each defined in its own <dialect>_button.cpp.
ButtonDialect zigbee2mqtt_button_dialect();
ButtonDialect tasmota_button_dialect();
ButtonDialect shelly_gen2_button_dialect();
ButtonDialect shelly_gen1_button_dialect();
ButtonDialect generic_button_dialect();

const std::vector<ButtonDialect>& button_dialects() {
    static const std::vector<ButtonDialect> rows{
        zigbee2mqtt_button_dialect(),
        tasmota_button_dialect(),
        shelly_gen2_button_dialect(),
        shelly_gen1_button_dialect(),
        generic_button_dialect(),
    };
    return rows;
}

const ButtonDialect* find_button_dialect(std::string_view driver) {
    for (const auto& row : button_dialects())
        if (row.entry.name == driver) return &row;
    return nullptr;
}

}  // namespace haven::buttons
