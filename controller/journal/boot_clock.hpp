#pragma once
// The boot clock, and how long ago a journal entry was written: the measure a resumed
// session uses for the time Haven was down.

#include <chrono>

#include "entry.hpp"

namespace haven::journal {

// This boot's id and CLOCK_BOOTTIME now. The id is empty where /proc cannot be read; such a
// stamp never matches another, so time is then measured by the wall clock.
BootStamp boot_stamp_now();

struct Elapsed {
    std::chrono::milliseconds length{0};  // never negative
    bool by_boot_clock = false;           // false: by the wall clock (another boot, or no stamp)
    bool wall_clock_behind = false;       // the wall clock reads earlier than the entry did
};

// How long ago `then` was written. Within one boot the boot clock answers, whatever the wall
// clock did; across a reboot only the wall clock spans the gap, and a wall clock now behind
// the entry (a dead RTC before NTP has synchronised) counts as no time at all.
Elapsed elapsed_since(const Entry& then, const BootStamp& boot_now, WallTime wall_now);

}  // namespace haven::journal
