#pragma once
// Shared by the fuzz targets: a failed invariant aborts with a message, so libFuzzer saves
// the input as a crash just as it does for a sanitizer report.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace haven::fuzz {

inline void require(bool ok, const char* what, std::string_view input = {}) {
    if (ok) return;
    std::fprintf(stderr, "fuzz invariant failed: %s\n  input: %.*s\n", what,
                 static_cast<int>(input.size()), input.data());
    std::abort();
}

// Splits "head\nrest" at the first newline; no newline: all head, empty rest.
inline std::pair<std::string_view, std::string_view> split_line(std::string_view text) {
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) return {text, {}};
    return {text.substr(0, newline), text.substr(newline + 1)};
}

}  // namespace haven::fuzz
