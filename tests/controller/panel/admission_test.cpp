// Who keeps a slot when a newcomer knocks (slowloris), and which Host names reach the panel
// (DNS rebinding): the pure rules, table-driven, no sockets.
#include "admission.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "host_check.hpp"

namespace haven::panel {
namespace {

using std::chrono::seconds;
const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);

WaitingConnection waiting(std::string address, int opened_s, bool trusted = false) {
    return {std::move(address), t0 + seconds(opened_s), trusted};
}

TEST(Admission, RoomLeftMeansAdmitWithoutClosingAnything) {
    std::vector<WaitingConnection> open{waiting("10.0.0.1", 0)};
    auto admission = decide_admission(open, 1, "10.0.0.2", {4, 2});
    EXPECT_TRUE(admission.admit);
    EXPECT_FALSE(admission.evict);
}

TEST(Admission, AnAddressPastItsShareGivesUpItsOwnIdlestConnection) {
    std::vector<WaitingConnection> open{waiting("10.0.0.9", 0), waiting("10.0.0.1", 5),
                                        waiting("10.0.0.1", 3), waiting("10.0.0.2", 1)};
    auto admission = decide_admission(open, 4, "10.0.0.1", {32, 2});
    EXPECT_TRUE(admission.admit);
    ASSERT_TRUE(admission.evict);
    EXPECT_EQ(*admission.evict, 2u) << "the idlest of 10.0.0.1, not the idlest overall";
}

TEST(Admission, WhenFullTheIdlestUntrustedConnectionMakesWay) {
    std::vector<WaitingConnection> open{waiting("10.0.0.1", 0, true), waiting("10.0.0.2", 2),
                                        waiting("10.0.0.3", 1)};
    auto admission = decide_admission(open, 3, "10.0.0.4", {3, 8});
    EXPECT_TRUE(admission.admit);
    ASSERT_TRUE(admission.evict);
    EXPECT_EQ(*admission.evict, 2u) << "the trusted connection is older but is never closed";
}

TEST(Admission, WhenOnlyTrustedConnectionsAndWebSocketsRemainTheNewcomerIsRefused) {
    // Two slots are held by unlocked WebSockets, which the list does not even show.
    std::vector<WaitingConnection> open{waiting("10.0.0.1", 0, true)};
    auto admission = decide_admission(open, 3, "10.0.0.4", {3, 8});
    EXPECT_FALSE(admission.admit);
    EXPECT_FALSE(admission.evict);
}

TEST(Admission, TrustedConnectionsDoNotCountAgainstTheirAddressShare) {
    std::vector<WaitingConnection> open{waiting("10.0.0.1", 0, true), waiting("10.0.0.1", 1, true),
                                        waiting("10.0.0.1", 2)};
    auto admission = decide_admission(open, 3, "10.0.0.1", {32, 2});
    EXPECT_TRUE(admission.admit);
    EXPECT_FALSE(admission.evict);
}

struct HostCase {
    const char* host;
    bool allowed;
};

class DefaultHosts : public ::testing::TestWithParam<HostCase> {};

TEST_P(DefaultHosts, AcceptOnlyThisMachineAndIpLiterals) {
    HostPolicy policy({}, "0.0.0.0");
    EXPECT_EQ(policy.allows(GetParam().host), GetParam().allowed) << GetParam().host;
}

INSTANTIATE_TEST_SUITE_P(
    Table, DefaultHosts,
    ::testing::Values(HostCase{"localhost", true}, HostCase{"localhost:8080", true},
                      HostCase{"LocalHost.:8080", true}, HostCase{"127.0.0.1:8080", true},
                      HostCase{"192.168.1.20", true}, HostCase{"[::1]:8080", true},
                      HostCase{"evil.example", false}, HostCase{"evil.example:8080", false},
                      HostCase{"localhost.evil.example", false}, HostCase{"", false},
                      HostCase{"localhost:80x", false}, HostCase{"[::1", false},
                      HostCase{"127.0.0.1.evil.example", false}, HostCase{"1.2.3", false}));

TEST(HostPolicy, DefaultsNameThisMachineWithAndWithoutDotLocal) {
    auto names = default_host_names("127.0.0.1");
    ASSERT_GE(names.size(), 3u);
    HostPolicy policy({}, "127.0.0.1");
    for (const auto& name : names) {
        EXPECT_TRUE(policy.allows(name)) << name;
        EXPECT_TRUE(policy.allows(name + ":8443")) << name;
    }
}

TEST(HostPolicy, ConfiguredNamesReplaceTheDefaults) {
    HostPolicy policy({"cedar.clinic.example"}, "0.0.0.0");
    EXPECT_TRUE(policy.allows("cedar.clinic.example:8443"));
    EXPECT_TRUE(policy.allows("CEDAR.clinic.example"));
    EXPECT_FALSE(policy.allows("localhost"));
    EXPECT_TRUE(policy.allows("10.1.2.3:8443")) << "IP literals cannot come from a rebinding";
}

TEST(HostPolicy, LoggedHostsAreShortAndPrintable) {
    EXPECT_EQ(loggable_host("evil\x01.example"), "evil?.example");
    EXPECT_EQ(loggable_host(std::string(500, 'a')).size(), 64u);
}

}  // namespace
}  // namespace haven::panel
