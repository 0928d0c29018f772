// Cues: next, extend, hold/release, volume, music_next, lights, mark, and the debounce.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

// Each case: cues at times (infusion starts at 10m, stops at 50m), then where deep and
// return start.
struct TimingCase {
    std::string name;
    std::vector<std::pair<Millis, std::string>> cues;
    Millis deep_starts;
    Millis return_starts;
};

class CueTiming : public ::testing::TestWithParam<TimingCase> {};

TEST_P(CueTiming, MovesPhaseBoundaries) {
    const auto& c = GetParam();
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    bool stopped = false;
    for (const auto& [when, text] : c.cues) {
        if (!stopped && when >= 50min) {
            d.at(50min, "infusion_stop");
            stopped = true;
        }
        auto out = d.at(when, text);
        EXPECT_TRUE(out.accepted) << text << ": " << out.reason;
    }
    if (!stopped) d.at(50min, "infusion_stop");
    d.advance(5h);
    EXPECT_EQ(d.phase_start("deep"), c.deep_starts);
    EXPECT_EQ(d.phase_start("return"), c.return_starts);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CueTiming,
    ::testing::Values(
        TimingCase{"None", {}, 25min, 50min},
        TimingCase{"ExtendOnset", {{12min, "extend 5m"}}, 30min, 50min},
        TimingCase{
            "ExtendTwiceAccumulates", {{12min, "extend 5m"}, {20min, "extend 2m"}}, 32min, 50min},
        // At the boundary the phase has already ended (advance runs first): deep is extended.
        TimingCase{"ExtendAtBoundaryExtendsTheNextPhase", {{25min, "extend 5m"}}, 25min, 55min},
        TimingCase{"ExtendAnchoredPhase", {{30min, "extend 10m"}}, 25min, 60min},
        // Arrival waits for T0; extended, it stays 5 m past T0 before onset.
        TimingCase{"ExtendArrival", {{5min, "extend 5m"}}, 30min, 50min},
        TimingCase{"NextSkipsNow", {{12min, "next"}}, 12min, 50min},
        TimingCase{"NextAtBoundarySkipsTheNewPhase", {{25min, "next"}}, 25min, 25min},
        TimingCase{"HoldFreezesOnset", {{15min, "hold"}, {22min, "release"}}, 32min, 50min},
        // Held 10 m across its anchor: deep ends 10 m after the stop.
        TimingCase{"HoldAcrossAnchor", {{45min, "hold"}, {55min, "release"}}, 25min, 60min},
        TimingCase{"NextClearsHold", {{15min, "hold"}, {16min, "next"}}, 16min, 50min}),
    [](const auto& param_info) { return param_info.param.name; });

struct RejectCase {
    std::string name;
    std::vector<std::pair<Millis, std::string>> setup;  // session started at 0
    std::string command;
    std::string reason;
};

class CueRejection : public ::testing::TestWithParam<RejectCase> {};

TEST_P(CueRejection, IsRejectedWithAHumanReason) {
    const auto& c = GetParam();
    Driver d;
    d.start();
    Millis t = 0ms;
    for (const auto& [when, text] : c.setup) {
        ASSERT_TRUE(d.at(when, text).accepted) << text;
        t = when;
    }
    t += 5s;
    const auto before = d.snap(t);
    auto out = d.at(t, c.command);
    EXPECT_FALSE(out.accepted);
    EXPECT_EQ(out.reason, c.reason);
    EXPECT_TRUE(out.effects.empty());
    EXPECT_EQ(d.snap(t), before);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CueRejection,
    ::testing::Values(
        RejectCase{"ExtendPhaseThatWaitsForNext",
                   {{1min, "next"}, {2min, "next"}, {3min, "next"}, {4min, "next"}, {5min, "next"}},
                   "extend 5m",
                   "phase discharge has no end to extend; it waits for next"},
        RejectCase{"ReleaseWithoutHold", {}, "release", "phase is not held"},
        RejectCase{"HoldTwice", {{1min, "hold"}}, "hold", "phase is already held"},
        RejectCase{"NextOnLastPhase",
                   {{1min, "next"}, {2min, "next"}, {3min, "next"}, {4min, "next"}, {5min, "next"}},
                   "next",
                   "already in the last phase"},
        RejectCase{"LightsDuringAssist",
                   {{1min, "assist"}},
                   "lights_up",
                   "lights are on the assist scene; clear assist first"},
        RejectCase{"AckWithNothingPending", {}, "ack", "no reminder is pending"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Cues, AcceptedCuesAreRecordedWithCommandAndSource) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    for (const auto& text : {"extend 5m", "hold", "release", "volume 50", "music_next", "lights_up",
                             "lights_down", "next"})
        ASSERT_TRUE(d.at(12min, text, bedside).accepted) << text;
    auto cues = d.records_of("cue");
    ASSERT_EQ(cues.size(), 8u);
    EXPECT_EQ(cues[0].data["command"], "extend");
    EXPECT_EQ(cues[0].data["cue"], "extend 5m");
    EXPECT_EQ(cues[3].data["command"], "volume");
    EXPECT_EQ(cues[7].data["command"], "next");
    for (const auto& r : cues) {
        EXPECT_EQ(r.data["source"], "button:bedside");
        EXPECT_EQ(r.at, 12min);
    }
}

TEST(Cues, MarkIsANoteInTheRecord) {
    Driver d;
    d.start();
    auto out = d.at(3min, "mark patient asked for a blanket");
    ASSERT_TRUE(out.accepted);
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].data, (nlohmann::json{{"type", "mark"},
                                                   {"text", "patient asked for a blanket"},
                                                   {"source", "panel:therapist"}}));
    EXPECT_TRUE(out.effects.empty());
}

struct VolumeCase {
    double requested;
    double expected;  // the room caps at 70
};

TEST(Cues, VolumeIsCappedAndFadedOverTheCueFade) {
    for (const auto& c :
         {VolumeCase{10, 10}, VolumeCase{55.5, 55.5}, VolumeCase{100, 70}, VolumeCase{0, 0}}) {
        Driver d;
        d.start();
        auto out = d.engine.handle(Command{.kind = CommandKind::volume, .number = c.requested},
                                   panel, 1min);
        ASSERT_TRUE(out.accepted);
        ASSERT_EQ(out.effects.size(), 1u);
        EXPECT_EQ(std::get<MusicEffect>(out.effects[0]),
                  (MusicEffect{std::nullopt, c.expected, 3s}));
        EXPECT_EQ(d.snap(1min).music_volume, c.expected);
    }
}

TEST(Cues, MusicNextNeedsMusic) {
    auto room = ketamine_room();
    room.templates["iv-ketamine"].phases[0].music.reset();
    Driver d{shared_room(room)};
    d.start();
    EXPECT_EQ(d.at(1min, "music_next").reason, "no music is playing");
    d.at(2min, "infusion_start");  // onset has a playlist
    auto out = d.at(3min, "music_next");
    ASSERT_TRUE(out.accepted);
    EXPECT_TRUE(std::holds_alternative<MusicNextEffect>(out.effects.at(0)));
}

struct LightsCase {
    std::vector<std::string> presses;
    double ceiling;  // welcome: ceiling 60, lamp 50; step 10
    double lamp;
};

TEST(Cues, LightsStepRelativeToThePhaseSceneAndClamp) {
    for (const auto& c :
         {LightsCase{{"lights_up"}, 70, 60}, LightsCase{{"lights_up", "lights_up"}, 80, 70},
          LightsCase{{"lights_down", "lights_down"}, 40, 30},
          LightsCase{{"lights_up", "lights_down"}, 60, 50},
          LightsCase{{"lights_up", "lights_up", "lights_up", "lights_up", "lights_up"}, 100, 100},
          LightsCase{std::vector<std::string>(6, "lights_down"), 0, 0}}) {
        Driver d;
        d.start();
        Millis t = 1min;
        Outcome last;
        for (const auto& p : c.presses) {
            last = d.at(t, p);
            ASSERT_TRUE(last.accepted) << last.reason;
            t += 2s;
        }
        const auto& scene = std::get<SceneEffect>(last.effects.at(0));
        EXPECT_EQ(scene.scene, "welcome");
        EXPECT_EQ(scene.fade, 3s);
        EXPECT_EQ(scene.targets.at("ceiling").level, c.ceiling);
        EXPECT_EQ(scene.targets.at("ceiling").kelvin, 2700);
        EXPECT_EQ(scene.targets.at("lamp").level, c.lamp);
    }
}

TEST(Cues, LightsOffsetResetsWhenThePhaseNamesANewScene) {
    Driver d;
    d.start();
    d.at(1min, "lights_up");
    auto out = d.at(2min, "infusion_start");
    const auto& onset = std::get<SceneEffect>(out.effects.at(0));
    EXPECT_EQ(onset.targets.at("ceiling").level, 20);
}

struct DebounceCase {
    std::string name;
    std::string first;
    CommandSource first_source;
    std::string second;
    CommandSource second_source;
    Millis gap;
    bool second_accepted;
};

class Debounce : public ::testing::TestWithParam<DebounceCase> {};

TEST_P(Debounce, SwallowsIdenticalCuesFromOneSourceWithinTheWindow) {
    const auto& c = GetParam();
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    ASSERT_TRUE(d.at(12min, c.first, c.first_source).accepted);
    auto out = d.at(12min + c.gap, c.second, c.second_source);
    EXPECT_EQ(out.accepted, c.second_accepted) << out.reason;
    if (!c.second_accepted) {
        EXPECT_EQ(out.reason, "duplicate cue within debounce");
        EXPECT_EQ(out.records.back().data["type"], "command_rejected");
        EXPECT_TRUE(out.effects.empty());
        EXPECT_EQ(d.records_of("cue").size(), 1u);
    }
}

const CommandSource other_button{CommandSource::Kind::button, "door"};

INSTANTIATE_TEST_SUITE_P(
    Cases, Debounce,
    ::testing::Values(
        DebounceCase{"DoublePressNext", "next", bedside, "next", bedside, 300ms, false},
        DebounceCase{"JustInsideWindow", "lights_up", bedside, "lights_up", bedside, 999ms, false},
        DebounceCase{"AtWindow", "lights_up", bedside, "lights_up", bedside, 1s, true},
        DebounceCase{"OtherSource", "next", bedside, "next", other_button, 300ms, true},
        DebounceCase{"OtherCue", "lights_up", bedside, "lights_down", bedside, 300ms, true},
        DebounceCase{"OtherArgument", "volume 30", bedside, "volume 40", bedside, 300ms, true},
        DebounceCase{"SamePanelTwice", "extend 5m", panel, "extend 5m", panel, 10ms, false}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Cues, DebounceWindowIsConfigurable) {
    auto room = ketamine_room();
    room.cues.debounce = 5s;
    Driver d{shared_room(room)};
    d.start();
    ASSERT_TRUE(d.at(1min, "lights_up", bedside).accepted);
    EXPECT_FALSE(d.at(1min + 4s, "lights_up", bedside).accepted);
    EXPECT_TRUE(d.at(1min + 5s, "lights_up", bedside).accepted);
}

TEST(Cues, RejectedCueDoesNotStartADebounceWindow) {
    Driver d;
    d.start();
    EXPECT_FALSE(d.at(1min, "release").accepted);  // nothing held
    EXPECT_TRUE(d.at(1min, "hold").accepted);
    EXPECT_TRUE(d.at(1min + 100ms, "release").accepted);
}

}  // namespace
}  // namespace haven::engine::testing
