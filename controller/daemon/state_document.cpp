#include "state_document.hpp"

#include <nlohmann/json.hpp>

#include "session_snapshot.hpp"

namespace haven::daemon {
namespace {

nlohmann::json seconds(std::optional<Millis> value) {
    if (!value) return nullptr;
    return value->count() / 1000;
}

nlohmann::json session_json(const config::RoomConfig& room, const engine::SessionSnapshot& s) {
    // due_in_s: negative (or 0) for a due reminder, how long ago it fell due; positive for an
    // upcoming one, real time until it falls due (it keeps counting through pauses and holds).
    nlohmann::json reminders = nlohmann::json::array();
    for (const auto& r : s.pending_reminders)
        reminders.push_back({{"id", r.id},
                             {"text", r.text},
                             {"seq", r.seq},
                             {"due_in_s", seconds(r.due_at - s.at)}});
    nlohmann::json upcoming = nlohmann::json::array();
    for (const auto& r : s.upcoming_reminders)
        upcoming.push_back(
            {{"id", r.id}, {"text", r.text}, {"seq", r.seq}, {"due_in_s", seconds(r.due_in)}});
    nlohmann::json phases = nlohmann::json::array();
    if (const auto* t = room.find_template(s.template_id)) {
        for (const auto& phase : t->phases) {
            nlohmann::json until = nullptr;
            if (phase.until)
                until = std::string{phase.until->event == config::Anchor::infusion_start
                                        ? "infusion_start"
                                        : "infusion_stop"};
            phases.push_back(
                {{"id", phase.id}, {"planned_s", seconds(phase.duration)}, {"until", until}});
        }
    }
    return {
        {"id", s.id},
        {"template", s.template_id},
        {"template_name", s.template_name},
        {"phase", s.phase_id},
        {"phase_index", s.phase_index},
        {"phase_count", s.phase_count},
        {"phase_finished", s.phase_finished},
        {"elapsed_s", seconds(s.elapsed)},
        {"phase_remaining_s", seconds(s.phase_remaining)},
        {"infusion", std::string{engine::to_string(s.infusion)}},
        {"infusion_elapsed_s", s.infusion == engine::InfusionState::none
                                   ? nlohmann::json(nullptr)
                                   : seconds(s.infusion_elapsed)},
        {"held", s.held},
        {"assist", s.assist},
        {"assist_level", std::string(engine::to_string(s.assist_level))},
        {"reminders_pending", reminders},
        {"reminders_upcoming", upcoming},
        {"next_reminder", s.pending_reminders.empty()
                              ? nlohmann::json(nullptr)
                              : nlohmann::json(s.pending_reminders.front().text)},
        {"missed_reminders", s.missed_reminders},
        {"min_observation_remaining_s", seconds(s.min_observation_remaining)},
        {"scene", s.scene},
        {"music",
         {{"playlist",
           s.music_playlist ? nlohmann::json(*s.music_playlist) : nlohmann::json(nullptr)},
          {"volume", s.music_volume}}},
        {"phases", phases},
    };
}

}  // namespace

nlohmann::json state_document(const StateInputs& in) {
    nlohmann::json templates = nlohmann::json::array();
    for (const auto& [id, t] : in.room.templates)
        templates.push_back({{"id", id},
                             {"name", t.name},
                             {"min_observation_s", t.min_observation.count() / 1000}});
    // What a tech must act on; empty when all is well.
    nlohmann::json alarms = nlohmann::json::array();
    if (in.journal_problem && *in.journal_problem)
        alarms.push_back({{"kind", "journal"}, {"text", **in.journal_problem}});
    if (in.clock_problem && *in.clock_problem)
        alarms.push_back({{"kind", "clock"}, {"text", **in.clock_problem}});
    return {
        {"room", {{"id", in.room.room.id}, {"name", in.room.room.name}}},
        {"session", in.session ? session_json(in.room, *in.session) : nlohmann::json(nullptr)},
        {"lights", in.lights ? *in.lights : nlohmann::json::object()},
        {"audio", in.audio ? *in.audio : nlohmann::json(nullptr)},
        {"templates", templates},
        {"alarms", alarms},
        {"version", in.version},
        {"time_scale", in.time_scale},
    };
}

}  // namespace haven::daemon
