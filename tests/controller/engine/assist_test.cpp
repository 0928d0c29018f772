// Assist, the calm level: the safe scene over its fade, music ducked not cut, an alert; the
// timeline keeps running. The emergency level is in assist_levels_test.cpp.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

TEST(Assist, RaisesSafeSceneDucksMusicAndAlerts) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");  // onset: music 35
    auto out = d.at(12min, "assist", bedside);
    ASSERT_TRUE(out.accepted);
    ASSERT_EQ(out.effects.size(), 3u);
    const auto& scene = std::get<SceneEffect>(out.effects[0]);
    EXPECT_EQ(scene.scene, "assist");
    EXPECT_EQ(scene.fade, 5s);
    EXPECT_EQ(scene.targets.at("strip").level, 40);
    EXPECT_EQ(std::get<MusicEffect>(out.effects[1]), (MusicEffect{std::nullopt, 30, 5s}));
    EXPECT_EQ(std::get<AlertEffect>(out.effects[2]).kind, "assist");
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].data,
              (nlohmann::json{
                  {"type", "assist_raised"}, {"level", "calm"}, {"source", "button:bedside"}}));
    auto s = d.snap(12min);
    EXPECT_TRUE(s.assist);
    EXPECT_EQ(s.assist_level, AssistLevel::calm);
    EXPECT_EQ(s.scene, "assist");
    EXPECT_EQ(s.music_volume, 30);
}

TEST(Assist, DuckNeverRaisesQuietMusic) {
    Driver d;
    d.start();  // arrival: music 25, below the 30 duck
    auto out = d.at(1min, "assist");
    EXPECT_EQ(std::get<MusicEffect>(out.effects.at(1)).volume, 25);
}

TEST(Assist, ClearReturnsToThePhaseSceneAndVolumeOverTheClearFade) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(11min, "lights_down");
    d.at(12min, "assist");
    auto out = d.at(14min, "assist_clear");
    ASSERT_TRUE(out.accepted);
    ASSERT_EQ(out.effects.size(), 3u);
    const auto& scene = std::get<SceneEffect>(out.effects[0]);
    EXPECT_EQ(scene.scene, "onset");
    EXPECT_EQ(scene.fade, 10s);
    EXPECT_EQ(scene.targets.at("ceiling").level, 10);  // the lights_down step is kept
    EXPECT_EQ(std::get<MusicEffect>(out.effects[1]), (MusicEffect{std::nullopt, 35, 10s}));
    EXPECT_EQ(std::get<AlertEffect>(out.effects[2]).kind, "assist_cleared");
    EXPECT_EQ(out.records.at(0).data["type"], "assist_cleared");
    EXPECT_EQ(out.records.at(0).data["level"], "calm");
    EXPECT_FALSE(d.snap(14min).assist);
    EXPECT_EQ(d.snap(14min).assist_level, AssistLevel::none);
}

TEST(Assist, TimelineAndRemindersKeepRunningUnderAssist) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(20min, "assist");
    auto during = d.advance(30min);  // deep starts at 25m, bp falls due at 25m
    bool scene_changed = false;
    for (const auto& e : during.effects) {
        if (std::holds_alternative<SceneEffect>(e)) scene_changed = true;
        if (auto* m = std::get_if<MusicEffect>(&e)) {
            EXPECT_EQ(m->playlist, "deep");  // the playlist changes...
            EXPECT_EQ(m->volume, 30);        // ...at the ducked volume
        }
    }
    EXPECT_FALSE(scene_changed) << "the assist scene must stay until cleared";
    EXPECT_EQ(d.phase_start("deep"), 25min);
    EXPECT_EQ(d.times_of("reminder_due"), std::vector<Millis>{25min});
    EXPECT_EQ(d.snap(30min).scene, "assist");

    auto out = d.at(31min, "assist_clear");
    EXPECT_EQ(std::get<SceneEffect>(out.effects.at(0)).scene, "deep");  // the phase it is now
}

TEST(Assist, DuringAPhaseFadeTheAssistSceneWinsAtOnce) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");           // onset scene fading over 3 minutes
    auto out = d.at(10min + 20s, "assist");  // mid-fade
    const auto& scene = std::get<SceneEffect>(out.effects.at(0));
    EXPECT_EQ(scene.scene, "assist");
    EXPECT_EQ(scene.fade, 5s);
}

TEST(Assist, VolumeCueUnderAssistStaysDucked) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(11min, "assist");
    auto out = d.at(12min, "volume 60");
    EXPECT_EQ(std::get<MusicEffect>(out.effects.at(0)).volume, 30);
    out = d.at(13min, "assist_clear");
    EXPECT_EQ(std::get<MusicEffect>(out.effects.at(1)).volume, 60);
}

struct OrderCase {
    std::vector<std::string> before;
    std::string command;
    std::string reason;
};

TEST(Assist, ImpossibleOrdersAreRejected) {
    for (const auto& c :
         {OrderCase{{}, "assist_clear", "assist is not raised"},
          OrderCase{{"assist"}, "assist", "assist is already raised"},
          OrderCase{{"assist", "assist_clear"}, "assist_clear", "assist is not raised"}}) {
        Driver d;
        d.start();
        Millis t = 1min;
        for (const auto& text : c.before) {
            ASSERT_TRUE(d.at(t, text).accepted);
            t += 1min;
        }
        auto out = d.at(t, c.command);
        EXPECT_FALSE(out.accepted);
        EXPECT_EQ(out.reason, c.reason);
    }
}

TEST(Assist, ReassertShowsTheAssistSceneWhileRaised) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    auto effects = d.engine.reassert(11min);
    ASSERT_EQ(effects.size(), 2u);
    EXPECT_EQ(std::get<SceneEffect>(effects[0]).scene, "onset");
    EXPECT_EQ(std::get<SceneEffect>(effects[0]).fade, reassert_fade);
    EXPECT_EQ(std::get<MusicEffect>(effects[1]), (MusicEffect{"onset", 35, reassert_fade}));
    d.at(12min, "assist");
    effects = d.engine.reassert(13min);
    EXPECT_EQ(std::get<SceneEffect>(effects.at(0)).scene, "assist");
    EXPECT_EQ(std::get<MusicEffect>(effects.at(1)).volume, 30);
}

}  // namespace
}  // namespace haven::engine::testing
