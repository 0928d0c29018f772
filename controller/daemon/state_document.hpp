#pragma once
// The room's state as one JSON document: retained on MQTT `<prefix>/<room>/state`, pushed to
// the panel's WebSocket, read by Home Assistant. Pure, so its shape is pinned by unit tests.
// Times are whole seconds ("*_s"); absent values are null. Holds no patient data.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "note_redaction.hpp"  // public_event, with the state for the panel and MQTT
#include "room_config.hpp"

namespace haven::engine {
struct SessionSnapshot;
}

namespace haven::daemon {

struct StateInputs {
    const config::RoomConfig& room;
    const engine::SessionSnapshot* session = nullptr;  // null when the room is idle
    const nlohmann::json* lights = nullptr;            // LightRig::levels_json()
    const nlohmann::json* audio = nullptr;             // the music player's status
    std::string version;
    double time_scale = 1.0;  // > 1 only in rehearsals: the panel's countdowns run this fast
    // Set while the session journal cannot be written (disk full, read-only): an alarm.
    const std::optional<std::string>* journal_problem = nullptr;
    // Set when a resumed session's time down could not be measured (after a reboot the wall
    // clock read earlier than the session record): an alarm until the clock is set and the
    // gap counted, or the session ends.
    const std::optional<std::string>* clock_problem = nullptr;
};

nlohmann::json state_document(const StateInputs& inputs);

}  // namespace haven::daemon
