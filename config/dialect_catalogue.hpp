#pragma once
// What the loader needs to know about the device dialects it may meet under `driver:`.
// Data only, and no dialect is named here: each dialect's row in the light and button
// registries (devices/lights, devices/buttons) carries its entry, so a dialect is declared
// in one place and config/ never includes devices/.

#include <string_view>
#include <vector>

namespace haven::config {

struct DialectEntry {
    std::string_view name;  // the `driver:` value
    // Keys a device of this dialect accepts besides the ones every device of its kind has
    // (driver and topic; a button's actions), e.g. a light's color_temp.
    std::vector<std::string_view> keys;
};

struct DialectCatalogue {
    std::vector<DialectEntry> lights;
    std::vector<DialectEntry> buttons;
};

// The dialects Haven ships, gathered from the registries. Declared here so that a caller of
// load_room_config gets them by default; defined in devices/dialect_catalogue.cpp (library
// haven_dialect_catalogue), which every program that loads a room links. haven_config itself
// never calls it: the default argument is evaluated at the call site.
const DialectCatalogue& shipped_dialects();

}  // namespace haven::config
