#pragma once
// Maps the steady clock onto the engine's session timeline, optionally sped up for rehearsals
// (`haven run --time-scale X`). The engine never reads a clock; the daemon asks this one.
// Control thread only.

#include <chrono>

namespace haven::daemon {

class SessionClock {
  public:
    using Steady = std::chrono::steady_clock;
    using EngineTime = std::chrono::milliseconds;

    // `origin` is the engine time that corresponds to "now" (0 for a fresh start; the resumed
    // timeline position after a restart).
    explicit SessionClock(double time_scale = 1.0, EngineTime origin = EngineTime{0},
                          Steady::time_point steady_origin = Steady::now())
        : scale_(time_scale), origin_(origin), steady_origin_(steady_origin) {}

    EngineTime now(Steady::time_point steady_now = Steady::now()) const {
        const auto real = std::chrono::duration<double, std::milli>(steady_now - steady_origin_);
        return origin_ + EngineTime{static_cast<EngineTime::rep>(real.count() * scale_)};
    }

    // The steady-clock moment at which the engine timeline reaches `engine_time`.
    Steady::time_point steady_at(EngineTime engine_time) const {
        const double real_ms = static_cast<double>((engine_time - origin_).count()) / scale_;
        return steady_origin_ + std::chrono::duration_cast<Steady::duration>(
                                    std::chrono::duration<double, std::milli>(real_ms));
    }

    // Real time for an engine duration: a 2 m fade at --time-scale 60 lasts 2 s on the wall.
    std::chrono::milliseconds real_duration(std::chrono::milliseconds engine_duration) const {
        return std::chrono::milliseconds{
            static_cast<std::chrono::milliseconds::rep>(engine_duration.count() / scale_)};
    }

    // Engine time for a real duration: 2 s of a resume's downtime at --time-scale 60 are 2 m
    // of session.
    std::chrono::milliseconds engine_duration(std::chrono::milliseconds real) const {
        return std::chrono::milliseconds{static_cast<std::chrono::milliseconds::rep>(
            static_cast<double>(real.count()) * scale_)};
    }

    double scale() const { return scale_; }

  private:
    double scale_;
    EngineTime origin_;
    Steady::time_point steady_origin_;
};

}  // namespace haven::daemon
