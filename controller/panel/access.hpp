#pragma once
// Who may do what on the panel: PIN checks, cookie sessions and the failed-PIN back-off.
// Pure (time is passed in) so the rules are tested without a socket. Loop thread only.

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace haven::panel {

using Clock = std::chrono::steady_clock;

// tech can do everything a therapist can (checking the room before patients arrive).
enum class Role { therapist, tech };
std::string_view to_string(Role role);
std::optional<Role> role_from(std::string_view name);
bool role_allows(Role have, Role need);

// Compares without an early exit so the time taken does not leak how much of a PIN matched.
bool pins_equal(std::string_view expected, std::string_view given);

// Unlocked browsers, by the random token in their cookie. Idle sessions expire.
class SessionStore {
  public:
    static constexpr std::size_t max_sessions = 64;
    static constexpr std::chrono::hours idle_limit{12};

    std::string create(Role role, Clock::time_point now);
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

// Failed PINs per client address: a few free tries, then a lock that doubles each time.
class PinThrottle {
  public:
    static constexpr int free_attempts = 3;
    static constexpr std::chrono::seconds first_lock{2};
    static constexpr std::chrono::seconds max_lock{15 * 60};

    // How long the client must still wait, or nullopt when it may try now.
    std::optional<std::chrono::seconds> retry_after(const std::string& client,
                                                    Clock::time_point now) const;
    void failed(const std::string& client, Clock::time_point now);
    void succeeded(const std::string& client);

  private:
    struct Entry {
        int failures = 0;
        Clock::time_point locked_until{};
    };
    std::map<std::string, Entry> clients_;
};

}  // namespace haven::panel
