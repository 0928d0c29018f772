// Infusion events: order, pause/resume freezing the phases that follow it (reminders run on
// real time: reminders_test.cpp).
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

struct OrderCase {
    std::string name;
    std::vector<std::string> before;  // accepted first, one minute apart
    std::string command;
    std::string reason;  // empty: accepted
    InfusionState state_after;
};

class InfusionOrder : public ::testing::TestWithParam<OrderCase> {};

TEST_P(InfusionOrder, ImpossibleOrdersAreRejectedAndLeaveStateAlone) {
    const auto& c = GetParam();
    Driver d;
    d.start();
    Millis t = 1min;
    for (const auto& text : c.before) {
        ASSERT_TRUE(d.at(t, text).accepted) << text;
        t += 1min;
    }
    const auto before = d.snap(t);
    auto out = d.at(t, c.command);
    EXPECT_EQ(out.accepted, c.reason.empty());
    EXPECT_EQ(out.reason, c.reason);
    EXPECT_EQ(d.snap(t).infusion, c.state_after);
    if (!c.reason.empty()) {
        EXPECT_EQ(d.snap(t), before);
        ASSERT_EQ(out.records.size(), 1u);
        EXPECT_EQ(out.records[0].data["type"], "command_rejected");
        EXPECT_EQ(out.records[0].data["command"], c.command);
    }
}

using S = InfusionState;
INSTANTIATE_TEST_SUITE_P(
    Cases, InfusionOrder,
    ::testing::Values(
        OrderCase{"StartOnce", {}, "infusion_start", "", S::running},
        OrderCase{"StartTwice",
                  {"infusion_start"},
                  "infusion_start",
                  "infusion has already started",
                  S::running},
        OrderCase{"StopBeforeStart", {}, "infusion_stop", "infusion has not started", S::none},
        OrderCase{"PauseBeforeStart", {}, "infusion_pause", "infusion has not started", S::none},
        OrderCase{"ResumeBeforeStart", {}, "infusion_resume", "infusion has not started", S::none},
        OrderCase{"ResumeWhileRunning",
                  {"infusion_start"},
                  "infusion_resume",
                  "infusion is not paused",
                  S::running},
        OrderCase{"PauseTwice",
                  {"infusion_start", "infusion_pause"},
                  "infusion_pause",
                  "infusion is already paused",
                  S::paused},
        OrderCase{"PauseAfterStop",
                  {"infusion_start", "infusion_stop"},
                  "infusion_pause",
                  "infusion has stopped",
                  S::stopped},
        OrderCase{"ResumeAfterStop",
                  {"infusion_start", "infusion_stop"},
                  "infusion_resume",
                  "infusion has stopped",
                  S::stopped},
        OrderCase{"StopTwice",
                  {"infusion_start", "infusion_stop"},
                  "infusion_stop",
                  "infusion has already stopped",
                  S::stopped},
        OrderCase{"RestartAfterStop",
                  {"infusion_start", "infusion_stop"},
                  "infusion_start",
                  "infusion has already started",
                  S::stopped},
        OrderCase{"StopWhilePaused",
                  {"infusion_start", "infusion_pause"},
                  "infusion_stop",
                  "",
                  S::stopped},
        OrderCase{
            "Resume", {"infusion_start", "infusion_pause"}, "infusion_resume", "", S::running}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Infusion, EventsAreRecordedWithSource) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start", bedside);
    d.at(20min, "infusion_pause");
    d.at(25min, "infusion_resume");
    d.at(50min, "infusion_stop");
    auto infusion = d.records_of("infusion");
    ASSERT_EQ(infusion.size(), 4u);
    const std::vector<std::string> events{"start", "pause", "resume", "stop"};
    for (std::size_t i = 0; i < events.size(); ++i)
        EXPECT_EQ(infusion[i].data["event"], events[i]);
    EXPECT_EQ(infusion[0].data["source"], "button:bedside");
    EXPECT_EQ(infusion[0].at, 10min);
}

struct PauseCase {
    std::string name;
    Millis pause_at;
    Millis resume_at;
    std::map<std::string, Millis> expected_starts;  // infusion 10m, stop 60m
};

class PauseStretchesPhases : public ::testing::TestWithParam<PauseCase> {};

TEST_P(PauseStretchesPhases, TimedPhasesFreezeWhilePaused) {
    const auto& c = GetParam();
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(c.pause_at, "infusion_pause");
    EXPECT_TRUE(d.snap(c.pause_at + 1min).infusion == InfusionState::paused);
    d.at(c.resume_at, "infusion_resume");
    d.at(60min, "infusion_stop");
    d.advance(5h);
    for (const auto& [phase, at] : c.expected_starts)
        EXPECT_EQ(d.phase_start(phase), at) << phase;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PauseStretchesPhases,
    ::testing::Values(
        // Onset (15 m) paused 5 m: deep starts at 30 m instead of 25 m.
        PauseCase{"DuringOnset", 15min, 20min, {{"deep", 30min}, {"return", 60min}}},
        // Paused across the onset boundary: the boundary waits for the resume.
        PauseCase{"AcrossOnsetEnd", 20min, 35min, {{"deep", 40min}, {"return", 60min}}},
        // Deep is anchored to the stop: a pause inside it changes nothing there.
        PauseCase{
            "DuringDeep", 30min, 40min, {{"deep", 25min}, {"return", 60min}, {"recovery", 80min}}}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Infusion, PausedPhaseRemainingIsFrozenInTheSnapshot) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(15min, "infusion_pause");
    EXPECT_EQ(d.snap(15min).phase_remaining, 10min);
    EXPECT_EQ(d.snap(40min).phase_remaining, 10min);
    EXPECT_EQ(d.snap(40min).infusion_elapsed, 5min);
    // Only the blood-pressure checks wake the engine while paused: the phase has no deadline.
    d.advance(40min);
    EXPECT_EQ(d.engine.next_wake(), 55min);
    d.at(40min, "infusion_resume");
    EXPECT_EQ(d.engine.next_wake(), 50min);
}

TEST(Infusion, ElapsedFreezesAtStopAndExcludesPauses) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(20min, "infusion_pause");
    d.at(30min, "infusion_resume");
    d.at(50min, "infusion_stop");
    EXPECT_EQ(d.snap(50min).infusion_elapsed, 30min);
    EXPECT_EQ(d.snap(90min).infusion_elapsed, 30min);
}

TEST(Infusion, AnchorOffsetsStretchWithPauses) {
    // until infusion_start + 30m: 30 minutes of running infusion, pauses excluded.
    auto room = ketamine_room();
    auto& onset = room.templates["iv-ketamine"].phases[1];
    onset.duration.reset();
    onset.until = config::AnchorPoint{config::Anchor::infusion_start, 30min};
    Driver d{shared_room(room)};
    d.start();
    d.at(0ms, "infusion_start");
    d.at(10min, "infusion_pause");
    d.at(17min, "infusion_resume");
    d.advance(2h);
    EXPECT_EQ(d.phase_start("deep"), 37min);
}

}  // namespace
}  // namespace haven::engine::testing
