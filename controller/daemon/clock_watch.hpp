#pragma once
// The session's time, in one place: the engine's clock (steady, sped up in rehearsals), the
// real clock fades run on, and what a resume could not count. A resume measures the time the
// room was down (by the boot clock within one boot, by the wall clock across a reboot); when
// the wall clock read earlier than the session's last record (no RTC, NTP not yet synced) it
// cannot, the session runs late by the gap and an alarm says so until the clock is set, when
// catch_up() hands the gap back. Control thread only; no I/O beyond reading clocks.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "boot_clock.hpp"
#include "entry.hpp"
#include "session_clock.hpp"
#include "units.hpp"

namespace haven::daemon {

// What a resume that met a wall clock behind the session record knew: the record's last wall
// time and the boot-clock moment of the resume (both journaled with it, so a restart within
// the boot picks them up again). Once the clock is set past the record, they give the gap.
struct UncountedGap {
    std::chrono::system_clock::time_point last_recorded;
    std::int64_t resumed_boot_ms = 0;
};

class ClockWatch {
  public:
    using Steady = std::chrono::steady_clock;

    explicit ClockWatch(double time_scale) : clock_(time_scale) {}

    Millis engine_now() const { return clock_.now(); }
    Steady::time_point steady_at(Millis engine_time) const { return clock_.steady_at(engine_time); }
    // Fades run on real time whatever --time-scale says: a light step is a light step.
    Millis real_now() const;
    Steady::time_point real_at(Millis real) const { return real_origin_ + real; }
    Millis real_duration(Millis engine_duration) const {
        return clock_.real_duration(engine_duration);
    }
    // A real span as session time: 3 real minutes at --time-scale 60 are 3 h of session.
    Millis engine_duration(Millis real_duration) const {
        return clock_.engine_duration(real_duration);
    }

    // Before a resume replays `entries` (an open session's, oldest first): moves the engine
    // clock to the last record plus the time since, and notes a gap it could not count.
    journal::Elapsed resume_from(const std::vector<journal::Entry>& entries);
    // After the replay: only an open session runs late by an uncounted gap, and raises the alarm.
    void resumed(bool session_open);
    // Once a second: the uncounted gap, once the wall clock has been set past the record; the
    // engine clock has then moved on by it and the alarm is cleared.
    std::optional<Millis> catch_up();
    // The alarm belonged to that session.
    void session_ended();

    // Set while a resumed session's time down is not counted: the state's `clock` alarm.
    const std::optional<std::string>& problem() const { return problem_; }

  private:
    SessionClock clock_;
    Steady::time_point real_origin_ = Steady::now();
    std::optional<UncountedGap> pending_gap_;  // found by resume_from, armed by resumed
    std::optional<UncountedGap> uncounted_gap_;
    std::optional<std::string> problem_;
};

}  // namespace haven::daemon
