// The panel's access rules without a socket: PIN comparison, sessions and the back-off.
#include "access.hpp"

#include <gtest/gtest.h>

namespace haven::panel {
namespace {

using namespace std::chrono_literals;

TEST(PanelAccess, PinsCompareExactly) {
    struct Case {
        std::string expected, given;
        bool equal;
    };
    for (const auto& c : std::vector<Case>{{"1234", "1234", true},
                                           {"1234", "1235", false},
                                           {"1234", "123", false},
                                           {"1234", "12345", false},
                                           {"", "", false},  // an unset PIN never unlocks
                                           {"0000", "", false}}) {
        EXPECT_EQ(pins_equal(c.expected, c.given), c.equal) << c.expected << " vs " << c.given;
    }
}

TEST(PanelAccess, TechCanDoWhatATherapistCanButNotTheReverse) {
    EXPECT_TRUE(role_allows(Role::tech, Role::therapist));
    EXPECT_TRUE(role_allows(Role::tech, Role::tech));
    EXPECT_TRUE(role_allows(Role::therapist, Role::therapist));
    EXPECT_FALSE(role_allows(Role::therapist, Role::tech));
}

TEST(PanelAccess, SessionsAreFoundByTokenAndExpireWhenIdle) {
    SessionStore store;
    const auto t0 = Clock::time_point{} + 1000h;
    auto token = store.create(Role::therapist, t0);
    EXPECT_EQ(token.size(), 32u);
    EXPECT_EQ(store.find(token, t0 + 1h), Role::therapist);
    EXPECT_EQ(store.find("not-a-token", t0), std::nullopt);
    EXPECT_EQ(store.find(token, t0 + 1h + SessionStore::idle_limit + 1s), std::nullopt);
}

TEST(PanelAccess, SessionCountIsBounded) {
    SessionStore store;
    const auto t0 = Clock::time_point{} + 1000h;
    auto first = store.create(Role::tech, t0);
    for (std::size_t i = 0; i < SessionStore::max_sessions; ++i) {
        store.create(Role::therapist, t0 + std::chrono::seconds(i + 1));
    }
    EXPECT_EQ(store.size(), SessionStore::max_sessions);
    EXPECT_EQ(store.find(first, t0 + 1h), std::nullopt) << "the oldest session is evicted";
}

TEST(PanelAccess, WrongPinsLockTheClientForLongerEachTime) {
    PinThrottle throttle;
    const auto t0 = Clock::time_point{} + 1000h;
    for (int i = 0; i < PinThrottle::free_attempts - 1; ++i) {
        throttle.failed("10.0.0.9", t0);
        EXPECT_EQ(throttle.retry_after("10.0.0.9", t0), std::nullopt);
    }
    throttle.failed("10.0.0.9", t0);
    EXPECT_EQ(throttle.retry_after("10.0.0.9", t0), PinThrottle::first_lock);
    EXPECT_EQ(throttle.retry_after("10.0.0.8", t0), std::nullopt) << "other clients unaffected";

    const auto t1 = t0 + PinThrottle::first_lock;
    EXPECT_EQ(throttle.retry_after("10.0.0.9", t1), std::nullopt);
    throttle.failed("10.0.0.9", t1);
    EXPECT_EQ(throttle.retry_after("10.0.0.9", t1), 2 * PinThrottle::first_lock);

    auto t = t1;
    for (int i = 0; i < 30; ++i) {
        t += PinThrottle::max_lock;
        throttle.failed("10.0.0.9", t);
    }
    EXPECT_EQ(throttle.retry_after("10.0.0.9", t), PinThrottle::max_lock);
    throttle.succeeded("10.0.0.9");
    EXPECT_EQ(throttle.retry_after("10.0.0.9", t), std::nullopt);
}

}  // namespace
}  // namespace haven::panel
