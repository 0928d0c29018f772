// `haven plan`: the engine driven on simulated time, its records read back as a timeline.
#include "session_plan.hpp"

#include <algorithm>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "session_engine.hpp"

namespace haven::engine {
namespace {

// What each phase shows, walking the phases in order as the engine does without cues.
void fill_scenes_and_music(const config::RoomConfig& config, const config::SessionTemplate& tmpl,
                           SessionPlan& plan) {
    std::string scene;
    std::optional<std::string> playlist;
    double volume = default_volume;
    for (const auto& phase : tmpl.phases) {
        PlannedPhase planned{.id = phase.id};
        if (phase.scene) {
            scene = phase.scene->scene;
            planned.fade = std::max(phase.scene->fade.value_or(config.fades.phase), minimum_fade);
        }
        if (phase.music) {
            if (phase.music->playlist) playlist = phase.music->playlist;
            if (phase.music->volume)
                volume = std::clamp(*phase.music->volume, 0.0, config.audio.max_volume);
        }
        planned.scene = scene;
        planned.playlist = playlist;
        planned.volume = volume;
        plan.phases.push_back(std::move(planned));
    }
    for (const auto& reminder : tmpl.reminders)
        plan.reminders.push_back(PlannedReminder{reminder.id, reminder.text, {}});
}

struct Simulation {
    SessionEngine engine;
    SessionPlan& plan;
    Millis t0;

    void read(const Outcome& outcome) {
        for (const auto& record : outcome.records) {
            const auto type = record.type();
            if (type == RecordType::phase_entered) {
                const auto index = record.data.at("index").get<std::size_t>();
                plan.phases[index].start = record.at - t0;
                if (index > 0) plan.phases[index - 1].end = record.at - t0;
            } else if (type == RecordType::reminder_due) {
                const auto id = record.data.at("reminder").get<std::string>();
                for (auto& reminder : plan.reminders)
                    if (reminder.id == id) reminder.at.push_back(record.at - t0);
            }
        }
    }

    // The current phase's end, once the engine knows it (no cues happen in a plan).
    void note_phase_end(Millis now) {
        auto snap = engine.snapshot(now);
        if (snap && snap->phase_remaining && !snap->phase_finished)
            plan.phases[static_cast<std::size_t>(snap->phase_index)].end =
                now + *snap->phase_remaining - t0;
    }
};

}  // namespace

PlanResult plan_session(std::shared_ptr<const config::RoomConfig> config,
                        const std::string& template_id, const PlanOptions& options) {
    if (!config) return {std::nullopt, "no room config"};
    const auto* tmpl = config->find_template(template_id);
    if (tmpl == nullptr) return {std::nullopt, "no template named '" + template_id + "'"};
    if (tmpl->phases.empty()) return {std::nullopt, "template '" + template_id + "' has no phases"};

    SessionPlan plan{tmpl->id, tmpl->name, options, tmpl->min_observation, {}, {}};
    fill_scenes_and_music(*config, *tmpl, plan);

    const Millis t0 = options.infusion_start_after;
    const Millis stop = t0 + options.infusion_length;
    Simulation sim{SessionEngine{config}, plan, t0};
    const CommandSource source{CommandSource::Kind::cli, "plan"};
    sim.read(sim.engine.handle(Command{.kind = CommandKind::start, .argument = template_id}, source,
                               Millis{0}, "plan"));
    std::vector<std::pair<Millis, CommandKind>> events{{t0, CommandKind::infusion_start},
                                                       {stop, CommandKind::infusion_stop}};
    Millis now{0};
    std::size_t next_event = 0;
    for (int guard = 0; guard < 100000; ++guard) {
        sim.note_phase_end(now);
        Millis horizon = stop + options.open_end;
        if (plan.phases.back().end) horizon = std::min(horizon, *plan.phases.back().end + t0);
        auto wake = sim.engine.next_wake();
        if (next_event < events.size() && (!wake || events[next_event].first <= *wake)) {
            now = events[next_event].first;
            sim.read(sim.engine.handle(Command{.kind = events[next_event].second}, source, now));
            ++next_event;
        } else if (wake && *wake <= horizon) {
            now = std::max(now, *wake);
            sim.read(sim.engine.advance(now));
        } else {
            break;
        }
    }
    return {std::move(plan), {}};
}

namespace {

nlohmann::json seconds(std::optional<Millis> value) {
    if (!value) return nullptr;
    return static_cast<double>(value->count()) / 1000.0;
}

}  // namespace

nlohmann::json to_json(const SessionPlan& plan) {
    nlohmann::json phases = nlohmann::json::array();
    for (const auto& p : plan.phases)
        phases.push_back(
            {{"id", p.id},
             {"start_s", seconds(p.start)},
             {"end_s", seconds(p.end)},
             {"scene", p.scene.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.scene)},
             {"fade_s", seconds(p.fade)},
             {"playlist", p.playlist ? nlohmann::json(*p.playlist) : nullptr},
             {"volume", p.volume}});
    nlohmann::json reminders = nlohmann::json::array();
    for (const auto& r : plan.reminders) {
        nlohmann::json at = nlohmann::json::array();
        for (auto t : r.at)
            at.push_back(seconds(t));
        reminders.push_back({{"id", r.id}, {"text", r.text}, {"at_s", at}});
    }
    return {{"template", plan.template_id},
            {"name", plan.template_name},
            {"infusion_start_after_s", seconds(plan.options.infusion_start_after)},
            {"infusion_length_s", seconds(plan.options.infusion_length)},
            {"min_observation_s", seconds(plan.min_observation)},
            {"phases", phases},
            {"reminders", reminders}};
}

std::string format_offset(std::optional<Millis> offset) {
    if (!offset) return "—";
    if (offset->count() == 0) return "T0";
    const bool before = offset->count() < 0;
    return (before ? "-" : "+") + format_duration(before ? -*offset : *offset);
}

std::string format_plan(const SessionPlan& plan) {
    std::ostringstream out;
    out << plan.template_name << " (" << plan.template_id << "): infusion starts "
        << format_duration(plan.options.infusion_start_after) << " after start and runs "
        << format_duration(plan.options.infusion_length) << "\n";
    if (plan.min_observation > Millis{0})
        out << "end allowed from " << format_offset(plan.min_observation)
            << " (minimum observation)\n";
    out << "\n"
        << std::left << std::setw(10) << "from" << std::setw(10) << "to" << std::setw(16) << "phase"
        << std::setw(26) << "scene (fade)"
        << "music\n";
    for (const auto& p : plan.phases) {
        std::string scene = p.scene.empty() ? "—" : p.scene;
        scene += p.fade ? " (" + format_duration(*p.fade) + ")" : " (kept)";
        std::ostringstream music;
        music << (p.playlist ? *p.playlist : "—") << " " << p.volume << "%";
        out << std::setw(10) << format_offset(p.start) << std::setw(10) << format_offset(p.end)
            << std::setw(16) << p.id << std::setw(26) << scene << music.str() << "\n";
    }
    if (!plan.reminders.empty()) out << "\nreminders\n";
    for (const auto& r : plan.reminders) {
        out << "  " << r.id << " \"" << r.text << "\":";
        if (r.at.empty()) out << " none";
        for (auto t : r.at)
            out << " " << format_offset(t);
        out << "\n";
    }
    return out.str();
}

}  // namespace haven::engine
