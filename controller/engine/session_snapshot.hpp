#pragma once
// The open session as the panel and MQTT state show it.

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine_types.hpp"

namespace haven::engine {

enum class InfusionState { none, running, paused, stopped };
std::string_view to_string(InfusionState state);

struct PendingReminder {
    std::string id;
    std::string text;
    int seq = 0;  // 1 for the first time this reminder fell due in the session
    EngineTime due_at{0};
    bool operator==(const PendingReminder&) const = default;
};

// A reminder that has not fallen due yet, for the panel's timeline and "next reminder".
struct UpcomingReminder {
    std::string id;
    std::string text;
    int seq = 0;
    // Real time until it falls due: it keeps counting through pauses and holds, as the
    // reminder does.
    Millis due_in{0};
    bool operator==(const UpcomingReminder&) const = default;
};

// How far ahead, and how many, upcoming reminders a snapshot lists: the whole arc of a
// session, but a bounded document on every MQTT publish.
inline constexpr Millis upcoming_reminder_horizon{3 * 60 * 60 * 1000};
inline constexpr std::size_t upcoming_reminder_limit = 8;

struct SessionSnapshot {
    EngineTime at{0};  // the moment the snapshot shows
    std::string id;
    std::string template_id;
    std::string template_name;
    std::string phase_id;
    int phase_index = 0;  // 0-based
    int phase_count = 0;
    bool phase_finished = false;            // the last phase has run out; waiting for `end`
    Millis elapsed{0};                      // since start
    std::optional<Millis> phase_remaining;  // empty: waits for an event or `next`
    InfusionState infusion = InfusionState::none;
    Millis infusion_elapsed{0};  // running time since T0, pauses excluded, frozen at stop
    bool held = false;
    bool assist = false;  // either level is raised
    AssistLevel assist_level = AssistLevel::none;
    std::vector<PendingReminder> pending_reminders;    // due, not yet acknowledged; oldest first
    std::vector<UpcomingReminder> upcoming_reminders;  // soonest first, see the limits above
    int missed_reminders = 0;
    std::optional<Millis> min_observation_remaining;  // empty: none, or infusion not started
    std::string scene;                                // the scene the room shows now
    std::optional<std::string> music_playlist;
    double music_volume = 0;  // what is playing now (ducked while assist is raised)

    bool operator==(const SessionSnapshot&) const = default;
};

// Durations are integer milliseconds ("*_ms"); absent values are null.
nlohmann::json to_json(const SessionSnapshot& snapshot);

}  // namespace haven::engine
