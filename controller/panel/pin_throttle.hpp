#pragma once
// The failed-PIN back-off. Wrong guesses are counted per role across every address (the
// budget that actually protects a PIN, however many addresses a guesser sprays from) and per
// address and role (so one fumbling client locks itself before it spends the role's budget).
// A locked role or address is answered without evaluating the PIN. A correct PIN clears only
// its own role's counters, never the other role's. Pure (time is passed in). Loop thread only.

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "role.hpp"

namespace haven::panel {

using Clock = std::chrono::steady_clock;

// A few free failures, then a lock that doubles with each further failure up to a cap.
// Failures are forgotten after a quiet spell with no lock running (a typo yesterday does not
// lengthen today's lock); forget_after is longer than max_lock, so a guesser who waits out
// every lock is never forgiven.
struct BackoffRule {
    int free_failures;
    std::chrono::seconds first_lock;
    std::chrono::seconds max_lock;
    std::chrono::seconds forget_after;
};

class Backoff {
  public:
    // How long until a guess may be evaluated, or nullopt when it may be now.
    std::optional<std::chrono::seconds> retry_after(Clock::time_point now) const;
    void failed(const BackoffRule& rule, Clock::time_point now);
    // Failures still counted at `now` (0 once forgotten).
    int failures(const BackoffRule& rule, Clock::time_point now) const;
    Clock::time_point last_failure() const { return last_failure_; }

  private:
    int failures_ = 0;
    Clock::time_point last_failure_{};
    Clock::time_point locked_until_{};
};

class PinThrottle {
  public:
    // Per role, all addresses together: at most 5 + 4 = 9 evaluated guesses in any minute,
    // then one per max_lock (about 300 a day, the figure `haven check` quotes for short
    // PINs). A therapist's own typos cost a 2 s wait, not a long lock; the price of a shared
    // budget is that a guesser can keep a role locked while they keep guessing
    // (docs/panel.md).
    static constexpr BackoffRule role_rule{5, std::chrono::seconds{2}, std::chrono::minutes{5},
                                           std::chrono::hours{1}};
    static constexpr BackoffRule address_rule{3, std::chrono::seconds{2}, std::chrono::minutes{15},
                                              std::chrono::minutes{30}};
    // Addresses remembered at once; beyond it the least-failed entry is dropped, never all.
    static constexpr std::size_t max_tracked_addresses = 1024;

    // How long the client must still wait before a `role` PIN is evaluated, or nullopt.
    std::optional<std::chrono::seconds> retry_after(Role role, const std::string& client,
                                                    Clock::time_point now) const;
    void failed(Role role, const std::string& client, Clock::time_point now);
    // A correct `role` PIN: that role's counters start over; the other role's are untouched.
    void succeeded(Role role, const std::string& client);

    std::size_t tracked_addresses() const { return addresses_.size(); }

  private:
    using AddressKey = std::pair<std::string, Role>;
    void make_room(Clock::time_point now);

    Backoff roles_[2];
    std::map<AddressKey, Backoff> addresses_;
};

}  // namespace haven::panel
