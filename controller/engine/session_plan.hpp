#pragma once
// A template's planned timeline, computed by running the real engine on simulated time:
// what `haven plan` prints so a tech can check a template before a patient is in the room.

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "room_config.hpp"
#include "units.hpp"

namespace haven::engine {

struct PlanOptions {
    Millis infusion_start_after{std::chrono::minutes(10)};  // from session start to T0
    Millis infusion_length{std::chrono::minutes(40)};       // from T0 to infusion_stop
    Millis open_end{std::chrono::hours(4)};  // after the stop, when nothing ends the plan
};

// Offsets are from T0 (negative before the infusion); empty: never reached on its own.
struct PlannedPhase {
    std::string id;
    std::optional<Millis> start;
    std::optional<Millis> end;
    std::string scene;           // the scene showing (inherited when the phase names none)
    std::optional<Millis> fade;  // empty when the phase keeps the scene
    std::optional<std::string> playlist;
    double volume = 0;
};

struct PlannedReminder {
    std::string id;
    std::string text;
    std::vector<Millis> at;
};

struct SessionPlan {
    std::string template_id;
    std::string template_name;
    PlanOptions options;
    Millis min_observation{0};
    std::vector<PlannedPhase> phases;
    std::vector<PlannedReminder> reminders;
};

struct PlanResult {
    std::optional<SessionPlan> plan;
    std::string error;  // set when plan is empty
};

PlanResult plan_session(std::shared_ptr<const config::RoomConfig> config,
                        const std::string& template_id, const PlanOptions& options = {});

// {"template":…, "phases":[{"id","start_s","end_s","scene","fade_s","playlist","volume"}],
//  "reminders":[{"id","at_s":[…]}]}, seconds from T0, null when unknown.
nlohmann::json to_json(const SessionPlan& plan);

// The same as a table for a terminal.
std::string format_plan(const SessionPlan& plan);

// "T0", "+15m", "-10m", "—"
std::string format_offset(std::optional<Millis> offset);

}  // namespace haven::engine
