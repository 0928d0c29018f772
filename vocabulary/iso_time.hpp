#pragma once
// Wall-clock times as people and automation write them: "2026-12-07T04:10:00Z",
// "2026-12-07T05:10:00+01:00", optionally with fractional seconds. A time without a zone
// is refused: whether "04:10" is UTC or the clinic's local time cannot be guessed, and a
// wrong guess would move a patient's infusion start by hours.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace haven {

using WallMillis = std::chrono::sys_time<std::chrono::milliseconds>;

std::optional<WallMillis> parse_iso_time(std::string_view text);

// "2026-12-07T04:10:00Z", with ".123" when the time has milliseconds; parse_iso_time reads it.
std::string format_iso_time(WallMillis at);

}  // namespace haven
