#include "pin_throttle.hpp"

#include <algorithm>

namespace haven::panel {

std::optional<std::chrono::seconds> Backoff::retry_after(Clock::time_point now) const {
    if (locked_until_ <= now) return std::nullopt;
    auto wait = std::chrono::ceil<std::chrono::seconds>(locked_until_ - now);
    return std::max(wait, std::chrono::seconds{1});
}

int Backoff::failures(const BackoffRule& rule, Clock::time_point now) const {
    const bool forgotten = locked_until_ <= now && now - last_failure_ > rule.forget_after;
    return forgotten ? 0 : failures_;
}

void Backoff::failed(const BackoffRule& rule, Clock::time_point now) {
    failures_ = failures(rule, now) + 1;
    last_failure_ = now;
    if (failures_ < rule.free_failures) return;
    const int doublings = std::min(failures_ - rule.free_failures, 20);
    const auto lock =
        std::min<std::chrono::seconds>(rule.first_lock * (1 << doublings), rule.max_lock);
    locked_until_ = now + lock;
}

namespace {

std::size_t index(Role role) {
    return role == Role::tech ? 1 : 0;
}

}  // namespace

std::optional<std::chrono::seconds> PinThrottle::retry_after(Role role, const std::string& client,
                                                             Clock::time_point now) const {
    auto wait = roles_[index(role)].retry_after(now);
    if (auto it = addresses_.find({client, role}); it != addresses_.end()) {
        if (auto address_wait = it->second.retry_after(now))
            wait = std::max(wait.value_or(std::chrono::seconds{0}), *address_wait);
    }
    return wait;
}

void PinThrottle::failed(Role role, const std::string& client, Clock::time_point now) {
    roles_[index(role)].failed(role_rule, now);
    AddressKey key{client, role};
    if (!addresses_.contains(key)) make_room(now);
    addresses_[key].failed(address_rule, now);
}

void PinThrottle::succeeded(Role role, const std::string& client) {
    roles_[index(role)] = Backoff{};
    addresses_.erase({client, role});
}

// Drops the one entry that says least about a guesser: the fewest failures still counted,
// the oldest among equals. Spraying new addresses therefore only ever evicts the sprayer's
// own one-failure entries, never a locked address, and never empties the table.
void PinThrottle::make_room(Clock::time_point now) {
    if (addresses_.size() < max_tracked_addresses) return;
    auto least = std::min_element(addresses_.begin(), addresses_.end(), [&](auto& a, auto& b) {
        const int fa = a.second.failures(address_rule, now);
        const int fb = b.second.failures(address_rule, now);
        if (fa != fb) return fa < fb;
        return a.second.last_failure() < b.second.last_failure();
    });
    addresses_.erase(least);
}

}  // namespace haven::panel
