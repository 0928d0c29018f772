#pragma once
// The cue buttons the device tests share: one per dialect, each mapping the actions its
// vendor sends to cues. The router tests, the virtual room and the broker test all press
// these, so a new button dialect is added here once.

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "command.hpp"
#include "room_config.hpp"

namespace haven::device_fixtures {

inline Command cue(std::string_view text) {
    return *parse_cue(text).command;
}

// A button whose actions map to cues written as text ("next", "extend 5m").
inline config::ButtonConfig button(
    std::string id, std::string driver, std::string topic,
    std::initializer_list<std::pair<std::string, std::string_view>> actions) {
    config::ButtonConfig out{.id = std::move(id), .driver = std::move(driver), .topic = topic};
    for (const auto& [action, text] : actions)
        out.actions.emplace(action, cue(text));
    return out;
}

// One button per dialect, ids z, t, s, g.
inline std::map<std::string, config::ButtonConfig> one_button_per_dialect() {
    std::map<std::string, config::ButtonConfig> out;
    for (auto b : {
             button("z", "zigbee2mqtt", "zigbee2mqtt/remote",
                    {{"single", "next"}, {"hold", "assist"}}),
             button("t", "tasmota", "bedside",
                    {{"single", "assist"}, {"button2_double", "extend 5m"}}),
             button("s", "shelly-gen2", "i4",
                    {{"single_push", "lights_up"},
                     {"input3_long_push", "lights_down"},
                     {"long_push", "assist"}}),
             button("g", "generic", "clinic/cue", {{"ACK", "ack bp"}}),
         })
        out.emplace(b.id, std::move(b));
    return out;
}

}  // namespace haven::device_fixtures
