// The time side of a session: integrating clocks, phase deadlines, reminders falling due.
#include <algorithm>

#include "record_type.hpp"
#include "session_state.hpp"

namespace haven::engine {

void Clocks::integrate_to(EngineTime now) {
    if (now <= at) return;
    const Millis dt = now - at;
    if (infusion_clock_runs()) {
        infusion_clock += dt;
        if (held) hold_shift += dt;
    }
    if (!held && infusion != InfusionState::paused) phase_clock += dt;
    at = now;
}

std::optional<Millis> anchor_clock_value(const Session& s, const config::AnchorPoint& anchor) {
    switch (anchor.event) {
        case config::Anchor::infusion_start:
            if (s.clocks.infusion == InfusionState::none) return std::nullopt;
            return anchor.offset;
        case config::Anchor::infusion_stop:
            if (!s.infusion_stopped_clock) return std::nullopt;
            return *s.infusion_stopped_clock + anchor.offset;
    }
    return std::nullopt;
}

std::optional<EngineTime> anchor_real_time(const Session& s, const config::AnchorPoint& anchor) {
    switch (anchor.event) {
        case config::Anchor::infusion_start:
            if (!s.infusion_started_at) return std::nullopt;
            return *s.infusion_started_at + anchor.offset;
        case config::Anchor::infusion_stop:
            if (!s.infusion_stopped_at) return std::nullopt;
            return *s.infusion_stopped_at + anchor.offset;
    }
    return std::nullopt;
}

namespace {

// The caller's time at which the infusion clock reads `value`, if it is running.
std::optional<EngineTime> when_infusion_clock_reads(const Clocks& clocks, Millis value) {
    if (!clocks.infusion_clock_runs()) return std::nullopt;
    return clocks.at + (value - clocks.infusion_clock);
}

std::optional<Millis> anchored_phase_end(const Session& s) {
    const auto& until = s.phase().until;
    if (!until) return std::nullopt;
    auto value = anchor_clock_value(s, *until);
    if (!value) return std::nullopt;
    return *value + s.extension + s.clocks.hold_shift;
}

std::optional<EngineTime> earliest(std::optional<EngineTime> a, std::optional<EngineTime> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

}  // namespace

std::optional<EngineTime> phase_deadline(const Session& s) {
    if (s.phase_finished || s.clocks.held) return std::nullopt;
    std::optional<EngineTime> by_duration;
    if (s.phase().duration && s.clocks.infusion != InfusionState::paused)
        by_duration = s.clocks.at + (*s.phase().duration + s.extension - s.clocks.phase_clock);
    std::optional<EngineTime> by_anchor;
    if (auto end = anchored_phase_end(s)) by_anchor = when_infusion_clock_reads(s.clocks, *end);
    return earliest(by_duration, by_anchor);
}

std::optional<Millis> phase_remaining(const Session& s) {
    if (s.phase_finished) return Millis{0};
    std::optional<Millis> remaining;
    if (s.phase().duration) remaining = *s.phase().duration + s.extension - s.clocks.phase_clock;
    if (auto end = anchored_phase_end(s)) {
        const Millis by_anchor = *end - s.clocks.infusion_clock;
        remaining = remaining ? std::min(*remaining, by_anchor) : by_anchor;
    }
    if (remaining) remaining = std::max(*remaining, Millis{0});
    return remaining;
}

std::optional<EngineTime> reminder_due(const Session& s, std::size_t index) {
    const auto& reminder = s.plan.reminders[index];
    if (reminder.every <= Millis{0}) return std::nullopt;  // the loader refuses this; never loop
    auto from = anchor_real_time(s, reminder.from);
    if (!from) return std::nullopt;
    const EngineTime due = *from + reminder.every * s.reminders[index].next_seq;
    if (reminder.until) {
        auto until = anchor_real_time(s, *reminder.until);
        if (until && due > *until) return std::nullopt;
    }
    return due;  // real time: pauses and holds never delay a clinical check
}

std::optional<EngineTime> next_event(const Session& s) {
    auto next = phase_deadline(s);
    for (std::size_t i = 0; i < s.plan.reminders.size(); ++i)
        next = earliest(next, reminder_due(s, i));
    return next;
}

void miss_pending(Session& s, std::size_t pending_index, Emitter& out) {
    const PendingReminder missed = s.pending[pending_index];
    s.pending.erase(s.pending.begin() + static_cast<std::ptrdiff_t>(pending_index));
    ++s.missed;
    out.record(s.clocks.at, {{"type", to_string(RecordType::reminder_missed)},
                             {"reminder", missed.id},
                             {"seq", missed.seq}});
    out.effect(AlertEffect{"reminder_missed", missed.text});
}

namespace {

void fire_reminder(Session& s, std::size_t index, Emitter& out) {
    const auto& reminder = s.plan.reminders[index];
    // An unacknowledged earlier one of the same reminder is missed once the next falls due.
    for (std::size_t i = 0; i < s.pending.size();) {
        if (s.pending[i].id == reminder.id) {
            miss_pending(s, i, out);
        } else {
            ++i;
        }
    }
    const int seq = s.reminders[index].next_seq++;
    s.pending.push_back(PendingReminder{reminder.id, reminder.text, seq, s.clocks.at});
    out.record(s.clocks.at, {{"type", to_string(RecordType::reminder_due)},
                             {"reminder", reminder.id},
                             {"text", reminder.text},
                             {"seq", seq}});
    out.effect(AlertEffect{"reminder_due", reminder.text, reminder.chime});
}

void finish_phase(Session& s, Emitter& out) {
    if (s.phase_index + 1 < s.plan.phases.size()) {
        enter_phase(s, s.phase_index + 1, out);
    } else {
        s.phase_finished = true;  // the last phase stays on screen until `end`
    }
}

}  // namespace

void enter_phase(Session& s, std::size_t index, Emitter& out) {
    s.phase_index = index;
    s.phase_entered_at = s.clocks.at;
    s.extension = Millis{0};
    s.phase_finished = false;
    s.clocks.phase_clock = Millis{0};
    s.clocks.hold_shift = Millis{0};
    s.clocks.held = false;
    const auto& phase = s.phase();
    out.record(s.clocks.at, {{"type", to_string(RecordType::phase_entered)},
                             {"phase", phase.id},
                             {"index", index},
                             {"count", s.plan.phases.size()}});
    if (phase.scene) {
        s.scene = phase.scene->scene;
        s.lights_offset = 0;
        // While assist is raised the room stays on the assist scene; clear returns here.
        if (s.assist_level == AssistLevel::none)
            out.effect(
                phase_scene_effect(s, gentle(phase.scene->fade.value_or(s.config->fades.phase))));
    }
    if (phase.music) {
        if (phase.music->playlist) s.playlist = phase.music->playlist;
        if (phase.music->volume) s.volume = clamp_volume(s, *phase.music->volume);
        out.effect(MusicEffect{phase.music->playlist, playing_volume(s),
                               gentle(s.config->audio.crossfade)});
    }
}

void advance_session(Session& s, EngineTime now, Emitter& out) {
    for (;;) {
        // Phase changes first at equal times, then reminders in template order: stable
        // ordering is what makes a replay identical.
        auto due = phase_deadline(s);
        std::optional<std::size_t> reminder;
        for (std::size_t i = 0; i < s.plan.reminders.size(); ++i) {
            auto at = reminder_due(s, i);
            if (at && (!due || *at < *due)) {
                due = at;
                reminder = i;
            }
        }
        if (!due || *due > now) break;
        s.clocks.integrate_to(std::max(*due, s.clocks.at));
        if (reminder) {
            fire_reminder(s, *reminder, out);
        } else {
            finish_phase(s, out);
        }
    }
    s.clocks.integrate_to(now);
}

}  // namespace haven::engine
