// The snapshot of an open session and its JSON form for the panel and MQTT state.
#include "session_snapshot.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "session_engine.hpp"
#include "session_state.hpp"

namespace haven::engine {

std::string_view to_string(InfusionState state) {
    switch (state) {
        case InfusionState::none:
            return "none";
        case InfusionState::running:
            return "running";
        case InfusionState::paused:
            return "paused";
        case InfusionState::stopped:
            return "stopped";
    }
    return "none";
}

namespace {

// The next occurrences of every reminder, computed on real time without firing
// anything. Before the infusion starts nothing is scheduled, so nothing is listed; an `until`
// that is not known yet (e.g. infusion_stop + 30m before the stop) does not limit the list.
std::vector<UpcomingReminder> upcoming_reminders(const Session& s) {
    std::vector<UpcomingReminder> all;
    for (std::size_t i = 0; i < s.plan.reminders.size() && i < s.reminders.size(); ++i) {
        const auto& reminder = s.plan.reminders[i];
        const auto from = anchor_real_time(s, reminder.from);
        if (reminder.every <= Millis{0} || !from) continue;
        const auto until = reminder.until ? anchor_real_time(s, *reminder.until) : std::nullopt;
        for (int seq = s.reminders[i].next_seq;; ++seq) {
            const EngineTime due = *from + reminder.every * seq;
            const Millis due_in = due - s.clocks.at;
            if ((until && due > *until) || due_in > upcoming_reminder_horizon) break;
            all.push_back({reminder.id, reminder.text, seq, std::max(due_in, Millis{0})});
            if (all.size() > upcoming_reminder_limit * s.plan.reminders.size()) break;
        }
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.due_in < b.due_in; });
    if (all.size() > upcoming_reminder_limit) all.resize(upcoming_reminder_limit);
    return all;
}

}  // namespace

std::optional<SessionSnapshot> SessionEngine::snapshot(EngineTime now) const {
    if (!session_) return std::nullopt;
    // Look at the session as of `now` without firing anything: a copy of the clocks moves.
    Session s = *session_;
    s.clocks.integrate_to(now);
    now = s.clocks.at;

    SessionSnapshot snap;
    snap.at = now;
    snap.id = s.id;
    snap.template_id = s.plan.id;
    snap.template_name = s.plan.name;
    snap.phase_id = s.phase().id;
    snap.phase_index = static_cast<int>(s.phase_index);
    snap.phase_count = static_cast<int>(s.plan.phases.size());
    snap.phase_finished = s.phase_finished;
    snap.elapsed = now - s.started_at;
    snap.phase_remaining = phase_remaining(s);
    snap.infusion = s.clocks.infusion;
    snap.infusion_elapsed = s.infusion_stopped_clock.value_or(s.clocks.infusion_clock);
    snap.held = s.clocks.held;
    snap.assist = s.assist_level != AssistLevel::none;
    snap.assist_level = s.assist_level;
    snap.pending_reminders = s.pending;
    snap.upcoming_reminders = upcoming_reminders(s);
    snap.missed_reminders = s.missed;
    if (s.infusion_started_at && s.plan.min_observation > Millis{0})
        snap.min_observation_remaining =
            std::max(Millis{0}, *s.infusion_started_at + s.plan.min_observation - now);
    snap.scene = assist_scene_id(s).value_or(s.scene);
    snap.music_playlist = s.playlist;
    snap.music_volume = playing_volume(s);
    return snap;
}

namespace {

nlohmann::json optional_ms(const std::optional<Millis>& value) {
    return value ? nlohmann::json(value->count()) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const SessionSnapshot& snap) {
    nlohmann::json pending = nlohmann::json::array();
    for (const auto& p : snap.pending_reminders)
        pending.push_back(
            {{"id", p.id}, {"text", p.text}, {"seq", p.seq}, {"due_at_ms", p.due_at.count()}});
    nlohmann::json upcoming = nlohmann::json::array();
    for (const auto& u : snap.upcoming_reminders)
        upcoming.push_back(
            {{"id", u.id}, {"text", u.text}, {"seq", u.seq}, {"due_in_ms", u.due_in.count()}});
    return {
        {"session", snap.id},
        {"template", {{"id", snap.template_id}, {"name", snap.template_name}}},
        {"phase",
         {{"id", snap.phase_id},
          {"index", snap.phase_index},
          {"count", snap.phase_count},
          {"finished", snap.phase_finished},
          {"remaining_ms", optional_ms(snap.phase_remaining)}}},
        {"elapsed_ms", snap.elapsed.count()},
        {"infusion",
         {{"state", std::string(to_string(snap.infusion))},
          {"elapsed_ms", snap.infusion_elapsed.count()}}},
        {"held", snap.held},
        {"assist", snap.assist},
        {"assist_level", std::string(to_string(snap.assist_level))},
        {"reminders",
         {{"pending", pending}, {"upcoming", upcoming}, {"missed", snap.missed_reminders}}},
        {"min_observation_remaining_ms", optional_ms(snap.min_observation_remaining)},
        {"scene", snap.scene},
        {"music",
         {{"playlist", snap.music_playlist ? nlohmann::json(*snap.music_playlist) : nullptr},
          {"volume", snap.music_volume}}},
    };
}

}  // namespace haven::engine
