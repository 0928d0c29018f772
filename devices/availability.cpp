#include "availability.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "text_case.hpp"

namespace haven::devices {
namespace {

std::string lower_trimmed(std::string word) {
    word.erase(0, word.find_first_not_of(" \t\r\n"));
    word.erase(word.find_last_not_of(" \t\r\n") + 1);
    return ascii_lower(word);
}

}  // namespace

std::optional<bool> parse_availability(const std::string& payload) {
    std::string word = lower_trimmed(payload);
    if (auto json = nlohmann::json::parse(payload, nullptr, false); json.is_object()) {
        auto state = json.find("state");
        if (state == json.end() || !state->is_string()) return std::nullopt;
        word = lower_trimmed(state->get<std::string>());
    }
    if (word == "online" || word == "true") return true;
    if (word == "offline" || word == "false") return false;
    return std::nullopt;
}

}  // namespace haven::devices
