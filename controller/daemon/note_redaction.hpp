#pragma once
// What a therapist types (a mark's note) stays in the local journal and the authenticated
// panel's report: MQTT and the logs carry that a note was made, never its text. The one
// place that decides what of a record or a command name may leave the room.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace haven::daemon {

// One record as it goes out on `<prefix>/<room>/events` and the panel: the journal entry
// minus free text a therapist typed.
nlohmann::json public_event(const nlohmann::json& record);

// A command's name as it may be published or logged: anything that begins with "mark"
// (`mark some note`, a cue, a topic such as cmd/mark<text>) is just "mark".
std::string public_command_name(std::string_view name);

}  // namespace haven::daemon
