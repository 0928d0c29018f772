// The config loader's view of the registries: each row's catalogue entry, lights then
// buttons. Defines config::shipped_dialects() (declared in config/dialect_catalogue.hpp) here,
// above both registries, so config/ stays free of devices/.
#include "dialect_catalogue.hpp"

#include "button_dialect.hpp"
#include "light_dialect.hpp"

namespace haven::config {

const DialectCatalogue& shipped_dialects() {
    static const DialectCatalogue catalogue = [] {
        DialectCatalogue all;
        for (const auto& row : lights::light_dialects())
            all.lights.push_back(row.entry);
        for (const auto& row : buttons::button_dialects())
            all.buttons.push_back(row.entry);
        return all;
    }();
    return catalogue;
}

}  // namespace haven::config
