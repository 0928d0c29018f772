#include "light_driver.hpp"

#include <stdexcept>

#include "light_dialect.hpp"

namespace haven::lights {

const std::vector<std::string>& light_driver_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const auto& row : light_dialects())
            all.emplace_back(row.entry.name);
        return all;
    }();
    return names;
}

std::unique_ptr<LightDriver> make_driver(const config::LightConfig& light,
                                         std::string_view source) {
    if (const auto* dialect = find_light_dialect(light.driver))
        return dialect->make_driver(light, source);
    std::string expected;
    for (const auto& name : light_driver_names())
        expected += (expected.empty() ? "" : ", ") + name;
    throw std::invalid_argument("light '" + light.id + "': unknown driver '" + light.driver +
                                "' (expected one of " + expected + ")");
}

}  // namespace haven::lights
