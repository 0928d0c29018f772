#pragma once
// One row per light dialect: its `driver:` name and config keys, its driver and its simulated
// device. A dialect is one file defining its row (<dialect>_light.cpp) plus that row named in
// light_dialects.cpp; nothing else in Haven names a dialect.

#include <memory>
#include <string_view>
#include <vector>

#include "dialect_catalogue.hpp"
#include "light_driver.hpp"
#include "simulated_light.hpp"

namespace haven::lights {

struct LightDialect {
    config::DialectEntry entry;  // what the config loader accepts for this dialect
    // `source` names Haven to devices that want a sender (Shelly RPC "src").
    std::unique_ptr<LightDriver> (*make_driver)(const config::LightConfig& light,
                                                std::string_view source);
    const LightSimulator* simulator;  // the real device's side, for `haven simulate-room`
    // What the device does to its own level scale, unless a light says `curve:`.
    config::LightCurve default_curve = config::LightCurve::lightness;
    // How often a fade may step this device. Zigbee bulbs fall behind at a few commands a
    // second (their radio and the coordinator's queue), so their dialect steps once a second
    // and lets the bulb's native transition glide between steps.
    Millis step_interval{250};
};

// Every light dialect, in the order diagnostics list them.
const std::vector<LightDialect>& light_dialects();

// The row whose entry is named `driver`; nullptr for none.
const LightDialect* find_light_dialect(std::string_view driver);

// The keys a dimmable light takes besides driver and topic (every dialect so far):
// color_temp, min_level, curve.
std::vector<std::string_view> dimmer_keys();

}  // namespace haven::lights
