// Correcting a mis-tapped infusion start: the anchor moves and the timeline follows it.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

TEST(Correction, RecordKeepsBothTimesAndTheSource) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    auto out = d.at(12min, "correct infusion_start -5m", bedside);
    ASSERT_TRUE(out.accepted) << out.reason;
    EXPECT_EQ(out.records.at(0).data, (nlohmann::json{{"type", "infusion_corrected"},
                                                      {"event", "infusion_start"},
                                                      {"was_ms_ago", 120000},
                                                      {"corrected_ms_ago", 300000},
                                                      {"source", "button:bedside"}}));
    EXPECT_EQ(d.snap(12min).infusion_elapsed, 5min);
}

struct MoveCase {
    std::string name;
    Millis correct_at;
    std::string correction;
    std::vector<Millis> expected_checks;  // bp every 15 m from the (corrected) start
    Millis expected_deep;                 // onset is 15 m from the start the tap began
};

class CorrectionMoves : public ::testing::TestWithParam<MoveCase> {};

TEST_P(CorrectionMoves, ChecksAndPhasesFollowTheCorrectedStart) {
    const auto& c = GetParam();
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    ASSERT_TRUE(d.at(c.correct_at, c.correction).accepted);
    d.at(50min, "infusion_stop");
    d.advance(3h);
    EXPECT_EQ(d.times_of("reminder_due", "reminder", "bp"), c.expected_checks);
    EXPECT_EQ(d.phase_start("deep"), c.expected_deep);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CorrectionMoves,
    ::testing::Values(
        // Tapped 5 m late: the real start was 5 m; checks at 20, 35, ... until stop + 30 m.
        MoveCase{"Earlier",
                 12min,
                 "correct infusion_start -7m",
                 {20min, 35min, 50min, 65min, 80min},
                 20min},
        // Tapped 2 m early: the real start was 12 m.
        MoveCase{"Later", 14min, "correct infusion_start -2m", {27min, 42min, 57min, 72min}, 27min},
        // Corrected after a check fell due: the next one counts from the new start.
        MoveCase{"AfterACheck",
                 26min,
                 "correct infusion_start -24m",
                 {25min, 32min, 47min, 62min, 77min},
                 25min},
        // A check (and a phase end) the correction made overdue falls due at once, never
        // skipped: the real start was 2 m, so the first check was due at 17 m.
        MoveCase{"OverdueFallsDueAtOnce",
                 24min,
                 "correct infusion_start -22m",
                 {24min, 32min, 47min, 62min, 77min},
                 24min}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Correction, MovesTheMinimumObservation) {
    Driver d;
    d.start("esketamine");
    d.at(10min, "infusion_start");
    d.at(20min, "correct infusion_start -15m");  // really given at 5 m
    EXPECT_EQ(d.snap(30min).min_observation_remaining, 95min);
    EXPECT_FALSE(d.at(2h, "end").accepted);
    EXPECT_TRUE(d.at(2h + 5min, "end").accepted);
}

struct RefuseCase {
    std::string name;
    std::vector<std::pair<Millis, std::string>> before;
    Millis at;
    std::string correction;
    std::string reason;
};

class CorrectionRefused : public ::testing::TestWithParam<RefuseCase> {};

TEST_P(CorrectionRefused, SaysWhyAndChangesNothing) {
    const auto& c = GetParam();
    Driver d;
    d.start("iv-ketamine", 5min);
    for (const auto& [when, text] : c.before)
        ASSERT_TRUE(d.at(when, text).accepted) << text;
    const auto before = d.snap(c.at);
    const auto out = d.at(c.at, c.correction);
    EXPECT_FALSE(out.accepted);
    EXPECT_EQ(out.reason, c.reason);
    const auto after = d.snap(c.at);
    EXPECT_EQ(after.infusion_elapsed, before.infusion_elapsed);
    EXPECT_EQ(after.upcoming_reminders, before.upcoming_reminders);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CorrectionRefused,
    ::testing::Values(
        RefuseCase{"BeforeTheStart",
                   {},
                   10min,
                   "correct infusion_start -1m",
                   "infusion has not started; there is nothing to correct"},
        RefuseCase{"BeforeTheSession",
                   {{10min, "infusion_start"}},
                   12min,
                   "correct infusion_start -8m",
                   "the corrected infusion start is before the session started"},
        RefuseCase{"AcrossAPause",
                   {{10min, "infusion_start"}, {20min, "infusion_pause"}},
                   24min,
                   "correct infusion_start -1m",
                   "the corrected infusion start must be before the infusion was first paused "
                   "or stopped"},
        RefuseCase{"SameTime",
                   {{10min, "infusion_start"}},
                   12min,
                   "correct infusion_start -2m",
                   "the infusion start is already at that time"},
        RefuseCase{"AbsoluteNotResolved",
                   {{10min, "infusion_start"}},
                   12min,
                   "correct infusion_start 2026-12-07T04:10:00Z",
                   "correct needs a time relative to now"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Correction, ReplayRebuildsTheSameTimeline) {
    auto run = [] {
        Driver d;
        d.start();
        d.at(10min, "infusion_start");
        d.at(12min, "correct infusion_start -5m");
        d.at(50min, "infusion_stop");
        d.advance(3h);
        return d.times_of("reminder_due");
    };
    EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace haven::engine::testing
