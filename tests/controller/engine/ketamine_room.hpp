#pragma once
// A realistic IV-ketamine treatment room built in code, and a small driver that feeds the
// engine cues as a therapist would type them ("extend 5m") at given times.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "room_config.hpp"
#include "session_engine.hpp"

namespace haven::engine::testing {

using namespace std::chrono_literals;

// Lights ceiling/lamp/strip; scenes welcome, onset, deep, return, recovery, discharge, assist.
// Templates:
//  iv-ketamine: arrival (until infusion_start) -> onset 15m -> deep (until infusion_stop)
//    -> return (30m or infusion_stop + 20m) -> recovery 30m (volume only) -> discharge (waits);
//    reminder bp every 15m from infusion_start until infusion_stop + 30m.
//  esketamine: arrival -> dosing 10m -> observation (until infusion_start + 2h) -> discharge;
//    reminder bp every 40m from infusion_start until infusion_start + 2h; min_observation 2h.
config::RoomConfig ketamine_room();
std::shared_ptr<const config::RoomConfig> shared_room(config::RoomConfig room = ketamine_room());

Command cue(const std::string& text);  // parse_cue, failing the test on a parse error

inline const CommandSource panel{CommandSource::Kind::panel, "therapist"};
inline const CommandSource bedside{CommandSource::Kind::button, "bedside"};

// Feeds one engine and keeps every outcome, so tests can look at records by type.
class Driver {
  public:
    explicit Driver(std::shared_ptr<const config::RoomConfig> room = shared_room())
        : engine(std::move(room)) {}

    Outcome at(Millis when, const std::string& text, const CommandSource& source = panel);
    Outcome start(const std::string& template_id = "iv-ketamine", Millis when = 0ms);
    Outcome advance(Millis when);
    SessionSnapshot snap(Millis when) const;

    // Times (caller timeline) of every record of `type` so far, optionally filtered by field.
    std::vector<Millis> times_of(const std::string& type, const std::string& field = {},
                                 const std::string& value = {}) const;
    Millis phase_start(const std::string& phase) const;  // fails the test if never entered
    std::vector<Record> records_of(const std::string& type) const;

    SessionEngine engine;
    std::vector<Record> records;
    std::vector<Effect> effects;

  private:
    Outcome keep(Outcome outcome);
};

}  // namespace haven::engine::testing
