#pragma once
// Small formatting helpers the three report renderers share.

#include <cstdio>
#include <optional>
#include <string>

#include "report.hpp"

namespace haven::journal::report_text {

inline std::string minutes(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

inline std::string minutes(const std::optional<double>& value) {
    return value ? minutes(*value) : std::string();
}

inline std::string time_or_empty(const std::optional<WallTime>& at) {
    return at ? format_utc(*at) : std::string();
}

inline double elapsed_minutes(const SessionReport& report, WallTime at) {
    return std::chrono::duration<double, std::ratio<60>>(at - report.started).count();
}

}  // namespace haven::journal::report_text
