// Correcting a mis-tapped infusion start: the anchor moves, and everything computed from it
// (anchored phases, checks, the observation minimum) follows on the next advance. The record
// keeps both times, so the chart shows what was tapped and what was corrected.
#include <algorithm>

#include "record_type.hpp"
#include "session_state.hpp"

namespace haven::engine {

std::optional<std::string> correct_infusion_start(Session& s, const Command& c,
                                                  const std::string& source, EngineTime now,
                                                  Emitter& out) {
    // The daemon turns an absolute time into one relative to now; the engine has no wall clock.
    if (c.wall_at) return "correct needs a time relative to now";
    if (c.argument != "infusion_start") return "only infusion_start can be corrected";
    if (!s.infusion_started_at) return "infusion has not started; there is nothing to correct";
    if (c.duration > Millis{0}) return "the corrected infusion start cannot be in the future";
    const EngineTime corrected = now + c.duration;
    const EngineTime was = *s.infusion_started_at;
    if (corrected < s.started_at)
        return "the corrected infusion start is before the session started";
    if (s.infusion_first_interrupted_at && corrected >= *s.infusion_first_interrupted_at)
        return "the corrected infusion start must be before the infusion was first paused or "
               "stopped";
    if (corrected == was) return "the infusion start is already at that time";

    // Until the first pause the infusion clock is plain elapsed time since T0, so moving T0
    // moves the clock (and the stop's reading of it) by the same amount.
    const Millis earlier_by = was - corrected;
    s.infusion_started_at = corrected;
    s.clocks.infusion_clock += earlier_by;
    if (s.infusion_stopped_clock) *s.infusion_stopped_clock += earlier_by;
    // A phase the tap itself began (onset after "until: infusion_start") began at the real
    // start too: its duration counts from there.
    if (s.phase_entered_at == was)
        s.clocks.phase_clock = std::max(Millis{0}, s.clocks.phase_clock + earlier_by);

    out.record(now, {{"type", to_string(RecordType::infusion_corrected)},
                     {"event", "infusion_start"},
                     {"was_ms_ago", (now - was).count()},
                     {"corrected_ms_ago", (now - corrected).count()},
                     {"source", source}});
    return std::nullopt;
}

}  // namespace haven::engine
