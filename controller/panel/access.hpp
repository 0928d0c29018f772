#pragma once
// Who may do what on the panel: PIN checks and cookie sessions (the failed-PIN back-off is in
// pin_throttle.hpp). Pure (time is passed in) so the rules are tested without a socket.
// Loop thread only.

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pin_throttle.hpp"
#include "role.hpp"

namespace haven::panel {

using Clock = std::chrono::steady_clock;

// Compares without an early exit so the time taken does not leak how much of a PIN matched.
bool pins_equal(std::string_view expected, std::string_view given);

// Unlocked browsers, by the random token in their cookie. Idle sessions expire. When the store
// is full a new unlock is refused rather than dropping someone else's session: a panel
// watching a session over its WebSocket looks idle to this store for hours, and dropping it
// would lock a therapist out mid-session. Only holders of a PIN can fill the store, and
// re-unlocking a browser replaces its old session instead of adding one.
class SessionStore {
  public:
    static constexpr std::size_t max_sessions = 64;
    static constexpr std::chrono::hours idle_limit{12};

    // The new session's token, or nullopt when max_sessions are open and none has expired.
    std::optional<std::string> create(Role role, Clock::time_point now);
    std::optional<Role> find(std::string_view token, Clock::time_point now);
    void remove(std::string_view token);
    std::size_t size() const { return sessions_.size(); }

  private:
    struct Entry {
        Role role;
        Clock::time_point last_used;
    };
    std::map<std::string, Entry, std::less<>> sessions_;
};

}  // namespace haven::panel
