#pragma once
// A template's schedule as the daemon itself plans it (`haven plan --json`: the engine run on
// simulated time), so the timeline and soak benchmarks compare arrivals with the engine's own
// intent instead of a copy of the template's numbers.

#include <map>
#include <string>
#include <vector>

namespace haven::bench {

struct PlannedPhaseTimes {
    std::string id;
    double start_s = 0;  // from T0 (infusion start); negative before it
    double end_s = -1;   // -1 while the phase has no planned end (waits for a cue)
    double fade_s = 0;   // 0 when the phase names no scene
    bool has_scene = false;
};

struct PlannedSchedule {
    std::vector<PlannedPhaseTimes> phases;
    std::map<std::string, std::vector<double>> reminder_at_s;  // id -> due times from T0
    std::map<std::string, std::string> reminder_text;          // id -> text (alerts carry text)
};

// Runs `<haven> plan --config <room> --template <id> --json --infusion-start <start>
// [--infusion-stop <stop>]`; throws std::runtime_error with the reason if it fails.
PlannedSchedule read_session_plan(const std::string& haven, const std::string& room,
                                  const std::string& template_id, const std::string& infusion_start,
                                  const std::string& infusion_stop = "");

}  // namespace haven::bench
