#include "record_type.hpp"

#include <array>
#include <utility>

namespace haven {
namespace {

constexpr std::array<std::pair<RecordType, std::string_view>, 24> record_names{{
    {RecordType::input, "input"},
    {RecordType::session_started, "session_started"},
    {RecordType::phase_entered, "phase_entered"},
    {RecordType::infusion, "infusion"},
    {RecordType::infusion_corrected, "infusion_corrected"},
    {RecordType::reminder_due, "reminder_due"},
    {RecordType::reminder_acknowledged, "reminder_acknowledged"},
    {RecordType::reminder_missed, "reminder_missed"},
    {RecordType::assist_raised, "assist_raised"},
    {RecordType::assist_cleared, "assist_cleared"},
    {RecordType::mark, "mark"},
    {RecordType::cue, "cue"},
    {RecordType::session_ended, "session_ended"},
    {RecordType::command_rejected, "command_rejected"},
    {RecordType::music_track, "music_track"},
    {RecordType::device_fault, "device_fault"},
    {RecordType::device_recovered, "device_recovered"},
    {RecordType::config_reloaded, "config_reloaded"},
    {RecordType::config_reload_refused, "config_reload_refused"},
    {RecordType::journal_write_failed, "journal_write_failed"},
    {RecordType::journal_write_recovered, "journal_write_recovered"},
    {RecordType::journal_recovered, "journal_recovered"},
    {RecordType::resumed, "resumed"},
    {RecordType::clock_caught_up, "clock_caught_up"},
}};

}  // namespace

std::string_view to_string(RecordType type) {
    for (const auto& [t, name] : record_names)
        if (t == type) return name;
    return "unknown";
}

std::optional<RecordType> record_type_from(std::string_view name) {
    for (const auto& [type, n] : record_names)
        if (n == name) return type;
    return std::nullopt;
}

bool replayable(RecordType type) {
    return type >= RecordType::session_started && type <= RecordType::session_ended;
}

}  // namespace haven
