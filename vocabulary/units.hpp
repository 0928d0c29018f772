#pragma once
// Parsing of the human units a room's YAML uses: durations ("90s", "15m", "1h30m"),
// levels in percent ("40", "40%") and colour temperature ("2700K").
// Each returns std::nullopt on malformed input; callers turn that into a located error.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace haven {

using Millis = std::chrono::milliseconds;

// "90s", "15m", "1h30m", "1h 30m", "500ms", "0", "2h". A bare number other than 0 is
// refused: "15" could mean seconds or minutes, and guessing wrong would be felt by a patient.
std::optional<Millis> parse_duration(std::string_view text);

// Formats a duration the way parse_duration reads it back: "1h30m", "45s", "0s".
std::string format_duration(Millis duration);

// "40", "40%", "12.5%" -> 40.0; anything outside 0..100 is refused.
std::optional<double> parse_level(std::string_view text);

// "2700K", "2700k", "2700" -> 2700; accepted range 1000..10000 K.
std::optional<int> parse_kelvin(std::string_view text);

}  // namespace haven
