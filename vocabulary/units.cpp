#include "units.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace haven {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Reads a non-negative decimal number ("12", "1.5") from the front of `s`.
std::optional<double> take_number(std::string_view& s) {
    std::size_t n = 0;
    while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.'))
        ++n;
    if (n == 0) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + n, value);
    if (ec != std::errc{} || end != s.data() + n || !std::isfinite(value)) return std::nullopt;
    s.remove_prefix(n);
    return value;
}

std::optional<double> unit_millis(std::string_view& s) {
    struct Unit {
        std::string_view name;
        double millis;
    };
    // "ms" before "m": the longest name wins.
    static constexpr Unit units[] = {{"ms", 1.0}, {"h", 3600e3}, {"m", 60e3}, {"s", 1e3}};
    for (const auto& unit : units) {
        if (s.substr(0, unit.name.size()) == unit.name) {
            s.remove_prefix(unit.name.size());
            return unit.millis;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<Millis> parse_duration(std::string_view text) {
    std::string_view s = trim(text);
    if (s == "0") return Millis{0};
    if (s.empty()) return std::nullopt;
    double total = 0;
    while (!s.empty()) {
        auto number = take_number(s);
        if (!number) return std::nullopt;
        auto scale = unit_millis(s);
        if (!scale) return std::nullopt;
        total += *number * *scale;
        s = trim(s);
    }
    constexpr double one_week = 7 * 24 * 3600e3;
    if (total > one_week) return std::nullopt;
    return Millis{static_cast<std::int64_t>(std::llround(total))};
}

std::string format_duration(Millis duration) {
    auto ms = duration.count();
    if (ms == 0) return "0s";
    std::string out;
    if (ms < 0) {
        out = "-";
        ms = -ms;
    }
    const auto hours = ms / 3600000;
    const auto minutes = ms / 60000 % 60;
    const auto seconds = ms / 1000 % 60;
    const auto millis = ms % 1000;
    if (hours) out += std::to_string(hours) + "h";
    if (minutes) out += std::to_string(minutes) + "m";
    if (seconds) out += std::to_string(seconds) + "s";
    if (millis) out += std::to_string(millis) + "ms";
    return out;
}

std::optional<double> parse_level(std::string_view text) {
    std::string_view s = trim(text);
    if (!s.empty() && s.back() == '%') s = trim(s.substr(0, s.size() - 1));
    auto value = take_number(s);
    if (!value || !s.empty() || *value > 100.0) return std::nullopt;
    return value;
}

std::optional<int> parse_kelvin(std::string_view text) {
    std::string_view s = trim(text);
    if (!s.empty() && (s.back() == 'K' || s.back() == 'k')) s.remove_suffix(1);
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    if (value < 1000 || value > 10000) return std::nullopt;
    return value;
}

}  // namespace haven
