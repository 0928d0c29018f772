// The panel's access rules without a socket: PIN comparison and sessions.
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
    auto token = store.create(Role::therapist, t0).value();
    EXPECT_EQ(token.size(), 32u);
    EXPECT_EQ(store.find(token, t0 + 1h), Role::therapist);
    EXPECT_EQ(store.find("not-a-token", t0), std::nullopt);
    EXPECT_EQ(store.find(token, t0 + 1h + SessionStore::idle_limit + 1s), std::nullopt);
}

TEST(PanelAccess, SessionTokensAreRandomAndDistinct) {
    SessionStore store;
    const auto t0 = Clock::time_point{} + 1000h;
    auto a = store.create(Role::therapist, t0);
    auto b = store.create(Role::therapist, t0);
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
}

TEST(PanelAccess, AFullStoreRefusesANewUnlockAndKeepsEveryOpenSession) {
    SessionStore store;
    const auto t0 = Clock::time_point{} + 1000h;
    auto tech = store.create(Role::tech, t0);
    ASSERT_TRUE(tech);
    for (std::size_t i = 1; i < SessionStore::max_sessions; ++i)
        ASSERT_TRUE(store.create(Role::therapist, t0 + std::chrono::seconds(i)));
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(store.create(Role::therapist, t0 + 1h + std::chrono::seconds(i)), std::nullopt);
    }
    EXPECT_EQ(store.size(), SessionStore::max_sessions);
    EXPECT_EQ(store.find(*tech, t0 + 2h), Role::tech) << "the oldest session is not evicted";
}

TEST(PanelAccess, AFullStoreMakesRoomOnlyFromLockedOrExpiredSessions) {
    SessionStore store;
    const auto t0 = Clock::time_point{} + 1000h;
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < SessionStore::max_sessions; ++i)
        tokens.push_back(*store.create(Role::therapist, t0));
    store.remove(tokens[5]);
    EXPECT_TRUE(store.create(Role::tech, t0 + 1s)) << "a locked panel frees its place";
    EXPECT_FALSE(store.create(Role::tech, t0 + 2s));
    store.find(tokens[7], t0 + 1h);  // used, so it outlives the others
    const auto later = t0 + SessionStore::idle_limit + 2s;
    EXPECT_TRUE(store.create(Role::tech, later)) << "sessions idle past the limit expire";
    EXPECT_EQ(store.find(tokens[7], later), Role::therapist);
    EXPECT_EQ(store.find(tokens[8], later), std::nullopt);
}

}  // namespace
}  // namespace haven::panel
