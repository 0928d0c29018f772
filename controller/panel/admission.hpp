#pragma once
// Who gets a connection slot when a new client knocks (slowloris defence). Pure: the server
// lists its HTTP connections, this picks one to close, if any. Loop thread only.
//
// Rules: an address may hold at most `per_address` untrusted connections (no valid session
// cookie yet); past it, that address's idlest untrusted one makes way. When every slot is
// taken, the idlest untrusted connection of any address makes way. A trusted connection and
// an unlocked WebSocket (not listed here at all) are never closed for a newcomer; when only
// they remain, the newcomer is refused.

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace haven::panel {

struct WaitingConnection {
    std::string address;
    std::chrono::steady_clock::time_point last_progress;  // opened, or last answered
    bool trusted = false;
};

struct AdmissionLimits {
    std::size_t max_connections;
    std::size_t per_address;
};

struct Admission {
    bool admit = false;
    std::optional<std::size_t> evict;  // index into the listed connections
};

Admission decide_admission(std::span<const WaitingConnection> http, std::size_t open_total,
                           const std::string& newcomer, AdmissionLimits limits);

}  // namespace haven::panel
