// Phases: durations, `until` anchors, whichever-first, and what entering a phase emits.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

struct InfusionTiming {
    std::string name;
    Millis infusion_start;
    Millis infusion_stop;
    std::map<std::string, Millis> expected_starts;
};

class PhaseTimeline : public ::testing::TestWithParam<InfusionTiming> {};

TEST_P(PhaseTimeline, PhasesStartWhereDurationsAndAnchorsSay) {
    const auto& c = GetParam();
    Driver d;
    d.start();
    d.at(c.infusion_start, "infusion_start");
    d.at(c.infusion_stop, "infusion_stop");
    d.advance(6h);
    for (const auto& [phase, at] : c.expected_starts)
        EXPECT_EQ(d.phase_start(phase), at) << phase;
    EXPECT_EQ(d.snap(6h).phase_id, "discharge");
    EXPECT_FALSE(d.engine.next_wake().has_value());  // discharge waits for `end`
}

INSTANTIATE_TEST_SUITE_P(IvKetamine, PhaseTimeline,
                         ::testing::Values(InfusionTiming{"Typical40MinuteInfusion",
                                                          10min,
                                                          50min,
                                                          {{"arrival", 0min},
                                                           {"onset", 10min},
                                                           {"deep", 25min},
                                                           {"return", 50min},
                                                           {"recovery", 70min},
                                                           {"discharge", 100min}}},
                                           // Stop before onset's 15 minutes: deep is entered and
                                           // left at once (until has passed).
                                           InfusionTiming{"StoppedDuringOnset",
                                                          5min,
                                                          12min,
                                                          {{"onset", 5min},
                                                           {"deep", 20min},
                                                           {"return", 20min},
                                                           {"recovery", 32min},
                                                           {"discharge", 62min}}},
                                           InfusionTiming{"LongInfusion",
                                                          30min,
                                                          2h,
                                                          {{"onset", 30min},
                                                           {"deep", 45min},
                                                           {"return", 2h},
                                                           {"recovery", 2h + 20min},
                                                           {"discharge", 2h + 50min}}}),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(Phases, WhicheverComesFirstBetweenDurationAndAnchor) {
    struct Case {
        Millis duration;
        Millis anchor_offset;
        Millis expected_end;  // infusion starts at 0
    };
    for (const auto& c :
         {Case{20min, 30min, 20min}, Case{40min, 30min, 30min}, Case{30min, 30min, 30min}}) {
        auto room = ketamine_room();
        auto& t = room.templates["iv-ketamine"];
        t.phases[1].duration = c.duration;
        t.phases[1].until = config::AnchorPoint{config::Anchor::infusion_start, c.anchor_offset};
        Driver d{shared_room(room)};
        d.start();
        d.at(0ms, "infusion_start");
        d.advance(3h);
        EXPECT_EQ(d.phase_start("deep"), c.expected_end) << c.duration.count();
    }
}

TEST(Phases, ArrivalWaitsForTheInfusion) {
    Driver d;
    d.start();
    EXPECT_FALSE(d.engine.next_wake().has_value());
    d.advance(3h);
    EXPECT_EQ(d.snap(3h).phase_id, "arrival");
    EXPECT_FALSE(d.snap(3h).phase_remaining.has_value());
}

TEST(Phases, EnteringAPhaseEmitsItsSceneAndMusicOverItsFades) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    auto out = d.advance(25min);
    ASSERT_EQ(out.effects.size(), 2u + 1u);  // deep scene, deep music, the 15 min reminder alert
    const auto& scene = std::get<SceneEffect>(out.effects[0]);
    EXPECT_EQ(scene.scene, "deep");
    EXPECT_EQ(scene.fade, 5min);
    EXPECT_EQ(scene.targets.size(), 3u);
    EXPECT_EQ(std::get<MusicEffect>(out.effects[1]), (MusicEffect{"deep", 30, 8s}));
}

TEST(Phases, PhaseWithoutSceneOrPlaylistKeepsTheCurrentOnes) {
    auto room = ketamine_room();
    room.templates["iv-ketamine"].phases[1].scene.reset();  // onset names no scene
    room.templates["iv-ketamine"].phases[1].music.reset();  // nor music
    Driver d{shared_room(room)};
    d.start();
    auto out = d.at(10min, "infusion_start");
    EXPECT_TRUE(out.effects.empty());
    EXPECT_EQ(d.snap(10min).scene, "welcome");
    EXPECT_EQ(d.snap(10min).music_playlist, "arrival");
}

TEST(Phases, VolumeOnlyMusicChangeKeepsThePlaylist) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(50min, "infusion_stop");
    auto out = d.advance(70min);  // recovery: no fade named, volume 20 only
    bool saw_scene = false;
    bool saw_music = false;
    for (const auto& e : out.effects) {
        if (auto* scene = std::get_if<SceneEffect>(&e)) {
            EXPECT_EQ(scene->scene, "recovery");
            EXPECT_EQ(scene->fade, 2min);  // the room's default phase fade
            saw_scene = true;
        }
        if (auto* m = std::get_if<MusicEffect>(&e)) {
            EXPECT_EQ(*m, (MusicEffect{std::nullopt, 20, 8s}));
            saw_music = true;
        }
    }
    EXPECT_TRUE(saw_scene);
    EXPECT_TRUE(saw_music);
    EXPECT_EQ(d.snap(70min).music_playlist, "return");
}

TEST(Phases, SnapshotShowsRemainingTimeAndIndex) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    auto s = d.snap(14min);
    EXPECT_EQ(s.phase_id, "onset");
    EXPECT_EQ(s.phase_index, 1);
    EXPECT_EQ(s.phase_count, 6);
    EXPECT_EQ(s.phase_remaining, 11min);
    EXPECT_EQ(s.elapsed, 14min);
    EXPECT_EQ(s.infusion, InfusionState::running);
    EXPECT_EQ(s.infusion_elapsed, 4min);
    EXPECT_EQ(d.engine.next_wake(), 25min);
}

TEST(Phases, LastPhaseThatRunsOutStaysUntilEnd) {
    auto room = ketamine_room();
    room.templates["iv-ketamine"].phases.back().duration = 10min;
    Driver d{shared_room(room)};
    d.start();
    d.at(0ms, "infusion_start");
    d.at(40min, "infusion_stop");
    d.advance(5h);
    auto s = d.snap(5h);
    EXPECT_EQ(s.phase_id, "discharge");
    EXPECT_TRUE(s.phase_finished);
    EXPECT_EQ(s.phase_remaining, 0ms);
    EXPECT_TRUE(d.engine.session_open());
}

TEST(Phases, NeverAbrupt_EveryFadeIsAtLeastTheMinimum) {
    auto room = ketamine_room();
    room.fades = config::FadeDefaults{0ms, 0ms, 0ms};
    room.audio.crossfade = 0ms;
    room.assist.fade = 0ms;
    room.templates["iv-ketamine"].phases[1].scene->fade = 0ms;
    room.templates["iv-ketamine"].end = config::EndSpec{"discharge", 0ms, 0ms};
    Driver d{shared_room(room)};
    d.start();
    for (const auto& [when, text] :
         std::vector<std::pair<Millis, std::string>>{{10min, "infusion_start"},
                                                     {12min, "assist"},
                                                     {13min, "assist_clear"},
                                                     {14min, "lights_up"},
                                                     {15min, "volume 50"},
                                                     {50min, "infusion_stop"},
                                                     {3h, "end"}})
        ASSERT_TRUE(d.at(when, text).accepted) << text;
    d.advance(4h);
    ASSERT_GT(d.effects.size(), 10u);
    for (const auto& effect : d.effects) {
        std::visit(
            [](const auto& e) {
                if constexpr (requires { e.fade; }) {
                    EXPECT_GE(e.fade, minimum_fade);
                }
            },
            effect);
    }
}

}  // namespace
}  // namespace haven::engine::testing
