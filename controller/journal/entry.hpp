#pragma once
// One journal record and one session's summary: the shapes the journal stores and the
// report reads. Entries carry no patient data; the session id is opaque.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace haven::journal {

using WallTime = std::chrono::system_clock::time_point;

// Where an entry falls on this boot's CLOCK_BOOTTIME, a clock nobody can set. A daemon
// restarted within the same boot measures the time it was down by it, so a wall clock
// stepped meanwhile (NTP catching up, someone setting the date) cannot move the session.
struct BootStamp {
    std::string boot_id;  // /proc/sys/kernel/random/boot_id: a new one at every boot
    std::int64_t ms = 0;  // CLOCK_BOOTTIME: counts from boot, suspend included
    bool operator==(const BootStamp&) const = default;
};

struct Entry {
    std::string session_id;  // opaque; empty for room-level entries (config reload, faults)
    std::string type;        // "input" for engine inputs; otherwise the engine record type
    nlohmann::json data;
    WallTime wall;                  // UTC
    std::int64_t monotonic_ms = 0;  // the daemon's engine time
    std::optional<BootStamp> boot;  // set by Journal::append; absent in older journals
};

struct SessionSummary {
    std::string id;
    std::string template_id;
    WallTime started;
    std::optional<WallTime> ended;
    bool open = false;  // started, never ended: the daemon resumes it
};

}  // namespace haven::journal
