#pragma once
// ASCII case folding for protocol words (button actions, "ON"/"online", file extensions).
// Deliberately not std::tolower: that follows the C locale, and device words are ASCII.

#include <string>
#include <string_view>

namespace haven {

inline std::string ascii_lower(std::string_view text) {
    std::string out{text};
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace haven
