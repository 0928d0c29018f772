#pragma once
// Every kind of row the session journal holds, and the one table that names them. Records
// travel as JSON (`"type": "<name>"`) on MQTT, the panel and in the journal; inside Haven
// they are compared as this enum, so a misspelt name fails to compile instead of silently
// matching nothing.

#include <optional>
#include <string_view>

namespace haven {

enum class RecordType {
    // An accepted command, as it came in: what a resume replays.
    input,
    // What the session engine records (and replay reproduces).
    session_started,
    phase_entered,
    infusion,
    infusion_corrected,
    reminder_due,
    reminder_acknowledged,
    reminder_missed,
    assist_raised,
    assist_cleared,
    mark,
    cue,
    session_ended,
    // A refusal: the engine records it, replay does not (only accepted inputs are replayed).
    command_rejected,
    // What the daemon records about the room itself.
    music_track,
    device_fault,
    device_recovered,
    config_reloaded,
    config_reload_refused,
    journal_write_failed,
    journal_write_recovered,
    journal_recovered,
    resumed,
    clock_caught_up,
};

std::string_view to_string(RecordType type);
std::optional<RecordType> record_type_from(std::string_view name);

// A record the session engine produces again when a resume replays the journaled inputs:
// counted to tell which records happened while the daemon was down.
bool replayable(RecordType type);

// True when `name` names `type`: for rows read back from the journal or JSON.
inline bool is_record(std::string_view name, RecordType type) {
    return record_type_from(name) == type;
}

}  // namespace haven
