#include "iso_time.hpp"

#include <cstdio>

namespace haven {
namespace {

// Reads exactly `digits` decimal digits from the front of `text`.
std::optional<int> take_digits(std::string_view& text, std::size_t digits) {
    if (text.size() < digits) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    text.remove_prefix(digits);
    return value;
}

bool take(std::string_view& text, char expected) {
    if (text.empty() || text.front() != expected) return false;
    text.remove_prefix(1);
    return true;
}

// "Z", "+01:00" or "-05:30": minutes east of UTC.
std::optional<int> take_zone(std::string_view& text) {
    if (take(text, 'Z') || take(text, 'z')) return 0;
    int sign = 0;
    if (take(text, '+'))
        sign = 1;
    else if (take(text, '-'))
        sign = -1;
    else
        return std::nullopt;
    auto hours = take_digits(text, 2);
    if (!hours || !take(text, ':')) return std::nullopt;
    auto minutes = take_digits(text, 2);
    if (!minutes || *hours > 14 || *minutes > 59) return std::nullopt;
    return sign * (*hours * 60 + *minutes);
}

}  // namespace

std::optional<WallMillis> parse_iso_time(std::string_view text) {
    using namespace std::chrono;
    auto y = take_digits(text, 4);
    if (!y || !take(text, '-')) return std::nullopt;
    auto mo = take_digits(text, 2);
    if (!mo || !take(text, '-')) return std::nullopt;
    auto d = take_digits(text, 2);
    if (!d || !(take(text, 'T') || take(text, 't') || take(text, ' '))) return std::nullopt;
    auto h = take_digits(text, 2);
    if (!h || !take(text, ':')) return std::nullopt;
    auto mi = take_digits(text, 2);
    if (!mi) return std::nullopt;
    int s = 0;
    int ms = 0;
    if (take(text, ':')) {
        auto sec = take_digits(text, 2);
        if (!sec) return std::nullopt;
        s = *sec;
        if (take(text, '.')) {
            auto frac = take_digits(text, 3);
            if (!frac) return std::nullopt;
            ms = *frac;
        }
    }
    auto zone = take_zone(text);
    if (!zone || !text.empty()) return std::nullopt;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok() || *h > 23 || *mi > 59 || s > 59) return std::nullopt;
    return time_point_cast<milliseconds>(sys_days{date}) + hours{*h} + minutes{*mi} + seconds{s} +
           milliseconds{ms} - minutes{*zone};
}

std::string format_iso_time(WallMillis at) {
    using namespace std::chrono;
    const auto day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss time{at - day};
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    std::string out = text;
    if (const auto ms = time.subseconds().count(); ms != 0) {
        std::snprintf(text, sizeof text, ".%03d", static_cast<int>(ms));
        out += text;
    }
    return out + "Z";
}

}  // namespace haven
