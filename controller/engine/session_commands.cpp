// Commands and cues applied to an open session. Each handler checks first and changes
// state only once it accepts, so a rejected command never leaves a half-applied state.
#include <algorithm>

#include "record_type.hpp"
#include "session_state.hpp"

namespace haven::engine {
namespace {

using Reason = std::optional<std::string>;

nlohmann::json cue_record(const Command& command, const std::string& source) {
    return {{"type", to_string(RecordType::cue)},
            {"command", std::string(to_string(command.kind))},
            {"cue", format_cue(command)},
            {"source", source}};
}

nlohmann::json infusion_record(const char* event, const std::string& source) {
    return {{"type", to_string(RecordType::infusion)}, {"event", event}, {"source", source}};
}

Reason infusion_start(Session& s, const std::string& source, EngineTime now, Emitter& out) {
    if (s.clocks.infusion != InfusionState::none) return "infusion has already started";
    s.clocks.infusion = InfusionState::running;
    s.infusion_started_at = now;
    out.record(now, infusion_record("start", source));
    return std::nullopt;
}

Reason infusion_pause(Session& s, const std::string& source, EngineTime now, Emitter& out) {
    switch (s.clocks.infusion) {
        case InfusionState::none:
            return "infusion has not started";
        case InfusionState::paused:
            return "infusion is already paused";
        case InfusionState::stopped:
            return "infusion has stopped";
        case InfusionState::running:
            break;
    }
    s.clocks.infusion = InfusionState::paused;
    if (!s.infusion_first_interrupted_at) s.infusion_first_interrupted_at = now;
    out.record(now, infusion_record("pause", source));
    return std::nullopt;
}

Reason infusion_resume(Session& s, const std::string& source, EngineTime now, Emitter& out) {
    switch (s.clocks.infusion) {
        case InfusionState::none:
            return "infusion has not started";
        case InfusionState::running:
            return "infusion is not paused";
        case InfusionState::stopped:
            return "infusion has stopped";
        case InfusionState::paused:
            break;
    }
    s.clocks.infusion = InfusionState::running;
    out.record(now, infusion_record("resume", source));
    return std::nullopt;
}

Reason infusion_stop(Session& s, const std::string& source, EngineTime now, Emitter& out) {
    switch (s.clocks.infusion) {
        case InfusionState::none:
            return "infusion has not started";
        case InfusionState::stopped:
            return "infusion has already stopped";
        case InfusionState::running:
        case InfusionState::paused:
            break;
    }
    s.clocks.infusion = InfusionState::stopped;
    s.infusion_stopped_clock = s.clocks.infusion_clock;
    s.infusion_stopped_at = now;
    if (!s.infusion_first_interrupted_at) s.infusion_first_interrupted_at = now;
    out.record(now, infusion_record("stop", source));
    return std::nullopt;
}

Reason next(Session& s, const Command& c, const std::string& source, EngineTime now, Emitter& out) {
    if (s.phase_index + 1 >= s.plan.phases.size()) return "already in the last phase";
    out.record(now, cue_record(c, source));
    enter_phase(s, s.phase_index + 1, out);  // a hold belongs to the phase it froze
    return std::nullopt;
}

Reason extend(Session& s, const Command& c, const std::string& source, EngineTime now,
              Emitter& out) {
    if (c.duration <= Millis{0}) return "extend needs a positive duration";
    if (!s.phase().duration && !s.phase().until)
        return "phase " + s.phase().id + " has no end to extend; it waits for next";
    if (s.phase_finished) return "phase " + s.phase().id + " has already finished";
    s.extension += c.duration;
    out.record(now, cue_record(c, source));
    return std::nullopt;
}

Reason hold(Session& s, const Command& c, const std::string& source, EngineTime now, Emitter& out) {
    if (s.clocks.held) return "phase is already held";
    s.clocks.held = true;
    out.record(now, cue_record(c, source));
    return std::nullopt;
}

Reason release(Session& s, const Command& c, const std::string& source, EngineTime now,
               Emitter& out) {
    if (!s.clocks.held) return "phase is not held";
    s.clocks.held = false;
    out.record(now, cue_record(c, source));
    return std::nullopt;
}

void raise_assist(Session& s, AssistLevel level, const std::string& source, EngineTime now,
                  Emitter& out, Millis light_fade, Millis music_fade, const std::string& text) {
    s.assist_level = level;
    out.record(now, {{"type", to_string(RecordType::assist_raised)},
                     {"level", to_string(level)},
                     {"source", source}});
    out.effect(assist_scene_effect(s, gentle(light_fade)));
    out.effect(MusicEffect{std::nullopt, playing_volume(s), gentle(music_fade)});
    out.effect(AlertEffect{"assist", text});
}

// Raising is one tap and a second tap never undoes it: a repeated or lower level is refused
// (the room stays as it is) and clearing is only ever the explicit assist_clear.
Reason assist(Session& s, const std::string& source, EngineTime now, Emitter& out) {
    if (s.assist_level == AssistLevel::calm) return "assist is already raised";
    if (s.assist_level == AssistLevel::emergency)
        return "emergency assist is raised; clear it to go back to calm";
    const auto& a = s.config->assist;
    raise_assist(s, AssistLevel::calm, source, now, out, a.fade, a.fade, "Assist requested");
    return std::nullopt;
}

Reason emergency(Session& s, const std::string& source, EngineTime now, Emitter& out) {
    if (s.assist_level == AssistLevel::emergency) return "emergency assist is already raised";
    const auto& e = s.config->assist.emergency;
    raise_assist(s, AssistLevel::emergency, source, now, out, e.fade, e.music_fade,
                 "Emergency assist requested");
    return std::nullopt;
}

Reason assist_clear(Session& s, const std::string& source, EngineTime now, Emitter& out) {
    if (s.assist_level == AssistLevel::none) return "assist is not raised";
    const AssistLevel cleared = s.assist_level;
    s.assist_level = AssistLevel::none;
    out.record(now, {{"type", to_string(RecordType::assist_cleared)},
                     {"level", to_string(cleared)},
                     {"source", source}});
    const Millis fade = gentle(s.config->fades.assist_clear);
    if (!s.scene.empty()) out.effect(phase_scene_effect(s, fade));
    out.effect(MusicEffect{std::nullopt, playing_volume(s), fade});
    out.effect(AlertEffect{"assist_cleared", "Assist cleared"});
    return std::nullopt;
}

Reason volume(Session& s, const Command& c, const std::string& source, EngineTime now,
              Emitter& out) {
    if (c.number < 0 || c.number > 100) return "volume must be between 0 and 100";
    s.volume = clamp_volume(s, c.number);
    out.record(now, cue_record(c, source));
    out.effect(MusicEffect{std::nullopt, playing_volume(s), gentle(s.config->fades.cue)});
    return std::nullopt;
}

Reason music_next(Session& s, const Command& c, const std::string& source, EngineTime now,
                  Emitter& out) {
    if (!s.playlist) return "no music is playing";
    out.record(now, cue_record(c, source));
    out.effect(MusicNextEffect{});
    return std::nullopt;
}

Reason lights_step(Session& s, const Command& c, const std::string& source, EngineTime now,
                   Emitter& out, double direction) {
    if (s.assist_level != AssistLevel::none)
        return "lights are on the assist scene; clear assist first";
    if (s.scene.empty()) return "no scene is showing yet";
    s.lights_offset =
        std::clamp(s.lights_offset + direction * s.config->cues.lights_step, -100.0, 100.0);
    out.record(now, cue_record(c, source));
    out.effect(phase_scene_effect(s, s.config->fades.cue));
    return std::nullopt;
}

Reason ack(Session& s, const Command& c, const std::string& source, EngineTime now, Emitter& out) {
    if (s.pending.empty()) return "no reminder is pending";
    auto it = c.argument.empty()
                  ? s.pending.begin()
                  : std::find_if(s.pending.begin(), s.pending.end(),
                                 [&](const PendingReminder& p) { return p.id == c.argument; });
    if (it == s.pending.end()) return "reminder " + c.argument + " is not pending";
    out.record(now, {{"type", to_string(RecordType::reminder_acknowledged)},
                     {"reminder", it->id},
                     {"seq", it->seq},
                     {"source", source}});
    s.pending.erase(it);
    return std::nullopt;
}

Reason mark(const Command& c, const std::string& source, EngineTime now, Emitter& out) {
    if (c.argument.empty()) return "mark needs a note";
    out.record(now,
               {{"type", to_string(RecordType::mark)}, {"text", c.argument}, {"source", source}});
    return std::nullopt;
}

}  // namespace

Reason apply_end(Session& s, const Command& c, const std::string& source, EngineTime now,
                 Emitter& out) {
    std::optional<Millis> observation_left;
    if (s.infusion_started_at && s.plan.min_observation > Millis{0}) {
        const Millis left = *s.infusion_started_at + s.plan.min_observation - now;
        if (left > Millis{0}) observation_left = left;
    }
    if (observation_left && !c.force) {
        // Round up to the second: "0s remaining" must never be shown while end is refused.
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(*observation_left);
        return "minimum observation: " + format_duration(seconds) +
               " remaining (end force overrides)";
    }
    while (!s.pending.empty())
        miss_pending(s, 0, out);
    nlohmann::json ended = {
        {"type", to_string(RecordType::session_ended)}, {"forced", c.force}, {"source", source}};
    if (observation_left) ended["observation_remaining_ms"] = observation_left->count();
    out.record(now, std::move(ended));
    const auto& end = s.plan.end;
    if (end.scene) out.effect(scene_effect(s, *end.scene, 0, end.fade));
    out.effect(MusicStopEffect{gentle(end.music_fade)});
    return std::nullopt;
}

Reason apply_command(Session& s, const Command& c, const std::string& source, EngineTime now,
                     Emitter& out) {
    switch (c.kind) {
        case CommandKind::start:
            return "a session is already open";
        case CommandKind::end:
            return apply_end(s, c, source, now, out);
        case CommandKind::infusion_start:
            return infusion_start(s, source, now, out);
        case CommandKind::infusion_pause:
            return infusion_pause(s, source, now, out);
        case CommandKind::infusion_resume:
            return infusion_resume(s, source, now, out);
        case CommandKind::infusion_stop:
            return infusion_stop(s, source, now, out);
        case CommandKind::next:
            return next(s, c, source, now, out);
        case CommandKind::extend:
            return extend(s, c, source, now, out);
        case CommandKind::hold:
            return hold(s, c, source, now, out);
        case CommandKind::release:
            return release(s, c, source, now, out);
        case CommandKind::assist:
            return assist(s, source, now, out);
        case CommandKind::emergency:
            return emergency(s, source, now, out);
        case CommandKind::assist_clear:
            return assist_clear(s, source, now, out);
        case CommandKind::volume:
            return volume(s, c, source, now, out);
        case CommandKind::music_next:
            return music_next(s, c, source, now, out);
        case CommandKind::lights_up:
            return lights_step(s, c, source, now, out, +1);
        case CommandKind::lights_down:
            return lights_step(s, c, source, now, out, -1);
        case CommandKind::ack:
            return ack(s, c, source, now, out);
        case CommandKind::mark:
            return mark(c, source, now, out);
        case CommandKind::correct:
            return correct_infusion_start(s, c, source, now, out);
    }
    return "unknown command";
}

}  // namespace haven::engine
