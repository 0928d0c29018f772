#include "access.hpp"

#include <algorithm>
#include <array>
#include <random>

namespace haven::panel {

std::string_view to_string(Role role) {
    return role == Role::tech ? "tech" : "therapist";
}

std::optional<Role> role_from(std::string_view name) {
    if (name == "therapist") return Role::therapist;
    if (name == "tech") return Role::tech;
    return std::nullopt;
}

bool role_allows(Role have, Role need) {
    return have == Role::tech || need == Role::therapist;
}

bool pins_equal(std::string_view expected, std::string_view given) {
    if (expected.empty()) return false;  // an unset PIN never unlocks
    unsigned diff = expected.size() == given.size() ? 0u : 1u;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const char g = i < given.size() ? given[i] : '\0';
        diff |= static_cast<unsigned>(static_cast<unsigned char>(expected[i] ^ g));
    }
    return diff == 0;
}

namespace {

// 128 bits from the kernel's CSPRNG (std::random_device reads getrandom on Linux).
std::string random_token() {
    std::random_device device;
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (int i = 0; i < 4; ++i) {
        auto word = device();
        for (int nibble = 0; nibble < 8; ++nibble) {
            token.push_back(hex[word & 0xfu]);
            word >>= 4;
        }
    }
    return token;
}

}  // namespace

std::optional<std::string> SessionStore::create(Role role, Clock::time_point now) {
    std::erase_if(sessions_,
                  [&](const auto& item) { return now - item.second.last_used > idle_limit; });
    if (sessions_.size() >= max_sessions) return std::nullopt;
    auto token = random_token();
    sessions_[token] = Entry{role, now};
    return token;
}

std::optional<Role> SessionStore::find(std::string_view token, Clock::time_point now) {
    auto it = sessions_.find(token);
    if (it == sessions_.end()) return std::nullopt;
    if (now - it->second.last_used > idle_limit) {
        sessions_.erase(it);
        return std::nullopt;
    }
    it->second.last_used = now;
    return it->second.role;
}

void SessionStore::remove(std::string_view token) {
    if (auto it = sessions_.find(token); it != sessions_.end()) sessions_.erase(it);
}

}  // namespace haven::panel
