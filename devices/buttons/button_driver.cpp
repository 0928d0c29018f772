#include "button_driver.hpp"

#include <stdexcept>

#include "button_dialect.hpp"

namespace haven::buttons {

const std::vector<std::string>& button_driver_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const auto& row : button_dialects())
            all.emplace_back(row.entry.name);
        return all;
    }();
    return names;
}

std::unique_ptr<ButtonDriver> make_button_driver(const config::ButtonConfig& button) {
    if (const auto* dialect = find_button_dialect(button.driver))
        return dialect->make_driver(button);
    std::string expected;
    for (const auto& name : button_driver_names())
        expected += (expected.empty() ? "" : ", ") + name;
    throw std::invalid_argument("button '" + button.id + "': unknown driver '" + button.driver +
                                "' (expected one of " + expected + ")");
}

}  // namespace haven::buttons
