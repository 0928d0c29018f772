#pragma once
// Internal to haven_engine: the state of one open session and the functions that move it.
// Time model: three clocks advance piecewise with slope 0 or 1, integrated at each event.
//  - the infusion clock (phase anchors): starts at T0, frozen while the infusion is paused,
//    keeps running after infusion_stop;
//  - the phase clock (phase `duration`): frozen while held or while the infusion is paused;
//  - the hold shift: infusion-clock time spent held in this phase, which pushes an
//    anchored phase's end back by exactly the time it was held.
// Reminders (clinical checks) use none of these: they run on the caller's real time from
// their anchor's real moment, through pauses and holds, because a pause usually follows a
// blood-pressure spike or a reaction, which is exactly when checks matter most.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine_types.hpp"
#include "session_snapshot.hpp"

namespace haven::engine {

struct Clocks {
    EngineTime at{0};  // the time the clocks were integrated to
    InfusionState infusion = InfusionState::none;
    Millis infusion_clock{0};
    Millis phase_clock{0};
    Millis hold_shift{0};
    bool held = false;

    void integrate_to(EngineTime now);
    bool infusion_clock_runs() const {
        return infusion == InfusionState::running || infusion == InfusionState::stopped;
    }
};

struct ReminderProgress {
    int next_seq = 1;
};

struct Session {
    std::shared_ptr<const config::RoomConfig> config;
    config::SessionTemplate plan;  // the template as it was at start
    std::string id;
    EngineTime started_at{0};
    Clocks clocks;
    std::optional<EngineTime> infusion_started_at;  // T0 on the caller's timeline
    std::optional<Millis> infusion_stopped_clock;   // infusion clock at infusion_stop
    std::optional<EngineTime> infusion_stopped_at;  // infusion_stop on the caller's timeline
    // The first pause or stop: a corrected start must stay before it, or the infusion clock
    // would have to run backwards across a pause.
    std::optional<EngineTime> infusion_first_interrupted_at;

    std::size_t phase_index = 0;
    EngineTime phase_entered_at{0};
    Millis extension{0};
    bool phase_finished = false;

    AssistLevel assist_level = AssistLevel::none;
    std::string scene;  // the phase scene (what assist_clear returns to)
    double lights_offset = 0;
    std::optional<std::string> playlist;
    double volume = default_volume;  // the phase/cue volume; ducked while assist is raised

    std::vector<ReminderProgress> reminders;  // parallel to plan.reminders
    std::vector<PendingReminder> pending;
    int missed = 0;

    const config::Phase& phase() const { return plan.phases[phase_index]; }
};

// Appends effects and records to an outcome at one moment.
class Emitter {
  public:
    explicit Emitter(Outcome& outcome) : outcome_(outcome) {}
    void record(EngineTime at, nlohmann::json data) {
        outcome_.records.push_back(Record{at, std::move(data)});
    }
    void effect(Effect effect) { outcome_.effects.push_back(std::move(effect)); }

  private:
    Outcome& outcome_;
};

// session_timeline.cpp
std::optional<Millis> anchor_clock_value(const Session& s, const config::AnchorPoint& anchor);
std::optional<EngineTime> anchor_real_time(const Session& s, const config::AnchorPoint& anchor);
std::optional<EngineTime> phase_deadline(const Session& s);
std::optional<Millis> phase_remaining(const Session& s);
std::optional<EngineTime> reminder_due(const Session& s, std::size_t index);
std::optional<EngineTime> next_event(const Session& s);
void advance_session(Session& s, EngineTime now, Emitter& out);
void enter_phase(Session& s, std::size_t index, Emitter& out);
void miss_pending(Session& s, std::size_t pending_index, Emitter& out);

// session_effects.cpp
double playing_volume(const Session& s);
SceneEffect scene_effect(const Session& s, const std::string& scene_id, double offset, Millis fade);
SceneEffect phase_scene_effect(const Session& s, Millis fade);
// The scene of the raised assist level; nullopt when none is raised.
std::optional<std::string> assist_scene_id(const Session& s);
SceneEffect assist_scene_effect(const Session& s, Millis fade);
double clamp_volume(const Session& s, double volume);
Millis gentle(Millis fade);

// session_commands.cpp: nullopt when accepted, else the reason.
std::optional<std::string> apply_command(Session& s, const Command& command,
                                         const std::string& source, EngineTime now, Emitter& out);
std::optional<std::string> apply_end(Session& s, const Command& command, const std::string& source,
                                     EngineTime now, Emitter& out);

// session_correction.cpp
std::optional<std::string> correct_infusion_start(Session& s, const Command& command,
                                                  const std::string& source, EngineTime now,
                                                  Emitter& out);

std::string source_text(const CommandSource& source);

}  // namespace haven::engine
