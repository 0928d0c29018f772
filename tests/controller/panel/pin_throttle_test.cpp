// The failed-PIN back-off with time injected: the per-role budget holds however many addresses
// guess, one role never resets the other, and the address table stays bounded.
#include "pin_throttle.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <functional>

namespace haven::panel {
namespace {

using namespace std::chrono_literals;

const auto t0 = Clock::time_point{} + 1000h;

std::string address(int n) {
    return "127." + std::to_string(n / 65536 % 256) + "." + std::to_string(n / 256 % 256) + "." +
           std::to_string(n % 256);
}

// A guesser who tries a wrong `role` PIN every 10 ms for `length`, from a new address each
// time (or as `next_address` says), calling `between` after each evaluated guess. Returns the
// most guesses evaluated in any 60 s window.
int most_evaluated_per_minute(PinThrottle& throttle, Role role, Clock::duration length,
                              const std::function<void(Clock::time_point)>& between = {}) {
    std::deque<Clock::time_point> last_minute;
    int most = 0;
    int n = 0;
    for (auto now = t0; now < t0 + length; now += 10ms) {
        const auto client = address(++n);
        if (throttle.retry_after(role, client, now)) continue;
        throttle.failed(role, client, now);
        last_minute.push_back(now);
        while (now - last_minute.front() >= 60s)
            last_minute.pop_front();
        most = std::max(most, static_cast<int>(last_minute.size()));
        if (between) between(now);
    }
    return most;
}

TEST(PinThrottle, ARoleLocksAfterItsFreeFailuresWhicheverAddressesMadeThem) {
    PinThrottle throttle;
    for (int i = 0; i < PinThrottle::role_rule.free_failures - 1; ++i) {
        throttle.failed(Role::tech, address(i), t0);
        EXPECT_EQ(throttle.retry_after(Role::tech, "10.0.0.1", t0), std::nullopt);
    }
    throttle.failed(Role::tech, address(99), t0);
    EXPECT_EQ(throttle.retry_after(Role::tech, "10.0.0.1", t0), PinThrottle::role_rule.first_lock)
        << "an address that never guessed waits too";
    EXPECT_EQ(throttle.retry_after(Role::therapist, "10.0.0.1", t0), std::nullopt)
        << "the other role is not locked by tech guesses";
}

TEST(PinThrottle, ARoleLockStartsShortDoublesAndIsCapped) {
    PinThrottle throttle;
    auto now = t0;
    for (int i = 0; i < PinThrottle::role_rule.free_failures; ++i)
        throttle.failed(Role::therapist, address(i), now);
    std::vector<std::chrono::seconds> waits;
    for (int i = 0; i < 12; ++i) {
        auto wait = throttle.retry_after(Role::therapist, "10.9.9.9", now);
        ASSERT_TRUE(wait);
        waits.push_back(*wait);
        now += *wait;
        ASSERT_EQ(throttle.retry_after(Role::therapist, "10.9.9.9", now), std::nullopt);
        throttle.failed(Role::therapist, address(100 + i), now);
    }
    const std::vector<std::chrono::seconds> expected{2s,   4s,   8s,   16s,  32s,  64s,
                                                     128s, 256s, 300s, 300s, 300s, 300s};
    EXPECT_EQ(waits, expected);
}

TEST(PinThrottle, SprayingAddressesEvaluatesAtMostTenGuessesAMinutePerRole) {
    PinThrottle throttle;
    const int most = most_evaluated_per_minute(throttle, Role::tech, 2h);
    EXPECT_LE(most, 10);
    EXPECT_GE(most, PinThrottle::role_rule.free_failures) << "the attacker did guess";
    EXPECT_LE(throttle.tracked_addresses(), PinThrottle::max_tracked_addresses);
}

TEST(PinThrottle, TheOtherRolesCorrectPinNeverResetsThisRolesBudget) {
    // The attack from issue 21: two wrong tech guesses, one correct therapist unlock, repeat,
    // all from one address.
    PinThrottle throttle;
    const int most = most_evaluated_per_minute(throttle, Role::tech, 30min, [&](auto now) {
        throttle.succeeded(Role::therapist, "10.0.0.66");
        EXPECT_EQ(throttle.retry_after(Role::therapist, "10.0.0.66", now), std::nullopt);
    });
    EXPECT_LE(most, 10);
}

TEST(PinThrottle, AlternatingRolesFromOneAddressStillLocksTheGuessedRole) {
    PinThrottle throttle;
    const std::string client = "10.0.0.66";
    int evaluated = 0;
    for (auto now = t0; now < t0 + 60s; now += 10ms) {
        if (!throttle.retry_after(Role::tech, client, now)) {
            throttle.failed(Role::tech, client, now);
            ++evaluated;
        }
        if (!throttle.retry_after(Role::therapist, client, now))
            throttle.succeeded(Role::therapist, client);
    }
    EXPECT_LE(evaluated, 10);
}

TEST(PinThrottle, ACorrectPinClearsItsOwnRole) {
    PinThrottle throttle;
    for (int i = 0; i < PinThrottle::role_rule.free_failures; ++i)
        throttle.failed(Role::therapist, "10.0.0.2", t0);
    ASSERT_TRUE(throttle.retry_after(Role::therapist, "10.0.0.3", t0));
    throttle.succeeded(Role::therapist, "10.0.0.3");
    EXPECT_EQ(throttle.retry_after(Role::therapist, "10.0.0.3", t0), std::nullopt);
    EXPECT_TRUE(throttle.retry_after(Role::therapist, "10.0.0.2", t0))
        << "the guessing address keeps its own lock";
}

TEST(PinThrottle, OneAddressLocksItselfBeforeSpendingTheRolesBudget) {
    PinThrottle throttle;
    for (int i = 0; i < PinThrottle::address_rule.free_failures; ++i)
        throttle.failed(Role::therapist, "10.0.0.2", t0);
    EXPECT_EQ(throttle.retry_after(Role::therapist, "10.0.0.2", t0),
              PinThrottle::address_rule.first_lock);
    EXPECT_EQ(throttle.retry_after(Role::therapist, "10.0.0.3", t0), std::nullopt)
        << "the wall panel at another address can still unlock";
}

TEST(PinThrottle, FailuresAreForgottenOnlyAfterAQuietSpell) {
    PinThrottle throttle;
    auto now = t0;
    for (int i = 0; i < 9; ++i) {  // the last five lock for 2, 4, 8, 16 and 32 s
        now += throttle.retry_after(Role::tech, address(i), now).value_or(0s);
        throttle.failed(Role::tech, address(i), now);
    }
    now += 5min;  // the lock is over but the guesser is remembered
    throttle.failed(Role::tech, "10.0.0.7", now);
    EXPECT_EQ(throttle.retry_after(Role::tech, "10.0.0.8", now), 64s);

    now += PinThrottle::role_rule.forget_after + 1s;
    throttle.failed(Role::tech, "10.0.0.7", now);
    EXPECT_EQ(throttle.retry_after(Role::tech, "10.0.0.8", now), std::nullopt)
        << "one failure after a quiet spell is a free one again";
}

TEST(PinThrottle, SprayedAddressesCannotFlushALockedAddress) {
    PinThrottle throttle;
    for (int i = 0; i < PinThrottle::address_rule.free_failures + 1; ++i)
        throttle.failed(Role::tech, "10.0.0.2", t0);
    for (int i = 0; i < 5000; ++i)
        throttle.failed(Role::tech, address(i), t0);
    EXPECT_EQ(throttle.tracked_addresses(), PinThrottle::max_tracked_addresses)
        << "bounded, and never emptied";
    throttle.succeeded(Role::tech, "10.0.0.3");  // clears the role's lock, not the address's
    EXPECT_EQ(throttle.retry_after(Role::tech, "10.0.0.3", t0), std::nullopt);
    EXPECT_EQ(throttle.retry_after(Role::tech, "10.0.0.2", t0),
              2 * PinThrottle::address_rule.first_lock);
}

}  // namespace
}  // namespace haven::panel
