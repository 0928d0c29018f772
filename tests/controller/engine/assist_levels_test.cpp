// Assist in two levels: calm (warm light over ~5 s, music ducked) and emergency (full light
// within 1 s, music faded to silence over 2 s). Raising is one tap; a second tap never
// clears; only assist_clear does, and it brings back the phase's scene and music.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

TEST(AssistLevels, EmergencyBringsFullLightWithinASecondAndFadesMusicToSilence) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");  // onset: music 35
    auto out = d.at(12min, "emergency", bedside);
    ASSERT_TRUE(out.accepted) << out.reason;
    ASSERT_EQ(out.effects.size(), 3u);
    const auto& scene = std::get<SceneEffect>(out.effects[0]);
    EXPECT_EQ(scene.scene, "emergency");
    EXPECT_EQ(scene.fade, 1s);
    EXPECT_EQ(scene.targets.at("ceiling"), (config::LightTarget{100, 4000}));
    // To volume 0, not stopped: clearing must be able to bring the session's music back.
    EXPECT_EQ(std::get<MusicEffect>(out.effects[1]), (MusicEffect{std::nullopt, 0, 2s}));
    EXPECT_EQ(std::get<AlertEffect>(out.effects[2]).kind, "assist");
    EXPECT_EQ(out.records.at(0).data, (nlohmann::json{{"type", "assist_raised"},
                                                      {"level", "emergency"},
                                                      {"source", "button:bedside"}}));
    auto s = d.snap(12min);
    EXPECT_TRUE(s.assist);
    EXPECT_EQ(s.assist_level, AssistLevel::emergency);
    EXPECT_EQ(s.scene, "emergency");
    EXPECT_EQ(s.music_volume, 0);
    EXPECT_EQ(to_json(s)["assist_level"], "emergency");
}

TEST(AssistLevels, CalmEscalatesToEmergencyButNeverBackDownByATap) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    ASSERT_TRUE(d.at(11min, "assist").accepted);
    auto out = d.at(11min + 30s, "emergency");
    ASSERT_TRUE(out.accepted) << out.reason;
    EXPECT_EQ(std::get<SceneEffect>(out.effects.at(0)).scene, "emergency");
    EXPECT_EQ(std::get<MusicEffect>(out.effects.at(1)).volume, 0);

    auto tap = d.at(12min, "assist");
    EXPECT_FALSE(tap.accepted);
    EXPECT_EQ(tap.reason, "emergency assist is raised; clear it to go back to calm");
    EXPECT_TRUE(tap.effects.empty()) << "a refused tap must leave the room as it is";
    EXPECT_EQ(d.snap(12min).assist_level, AssistLevel::emergency);
}

TEST(AssistLevels, RepeatedTapsOfEitherLevelAreRefusedAndChangeNothing) {
    for (const std::string level : {"assist", "emergency"}) {
        Driver d;
        d.start();
        d.at(10min, "infusion_start");
        ASSERT_TRUE(d.at(11min, level).accepted);
        auto again = d.at(11min + 400ms, level);  // a double tap
        EXPECT_FALSE(again.accepted) << level;
        EXPECT_TRUE(again.effects.empty()) << level;
        EXPECT_TRUE(d.snap(12min).assist) << level << ": a second tap must not clear";
    }
}

TEST(AssistLevels, ClearFromEmergencyBringsBackThePhaseSceneAndMusic) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(12min, "emergency");
    auto out = d.at(15min, "assist_clear");
    ASSERT_TRUE(out.accepted) << out.reason;
    EXPECT_EQ(std::get<SceneEffect>(out.effects.at(0)).scene, "onset");
    EXPECT_EQ(std::get<SceneEffect>(out.effects.at(0)).fade, 10s);
    EXPECT_EQ(std::get<MusicEffect>(out.effects.at(1)), (MusicEffect{std::nullopt, 35, 10s}));
    EXPECT_EQ(out.records.at(0).data["level"], "emergency");
    EXPECT_EQ(d.snap(15min).assist_level, AssistLevel::none);
}

TEST(AssistLevels, PhaseChangesUnderEmergencyKeepTheMusicSilentAndTheLightsFull) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(20min, "emergency");
    auto during = d.advance(30min);  // deep starts at 25m
    for (const auto& e : during.effects) {
        EXPECT_FALSE(std::holds_alternative<SceneEffect>(e));
        if (auto* m = std::get_if<MusicEffect>(&e)) {
            EXPECT_EQ(m->volume, 0);
        }
    }
    EXPECT_EQ(d.phase_start("deep"), 25min);
    auto effects = d.engine.reassert(31min);
    EXPECT_EQ(std::get<SceneEffect>(effects.at(0)).scene, "emergency");
    EXPECT_EQ(std::get<MusicEffect>(effects.at(1)).volume, 0);
}

TEST(AssistLevels, LightCuesAreRefusedUnderEitherLevel) {
    for (const std::string level : {"assist", "emergency"}) {
        Driver d;
        d.start();
        d.at(10min, "infusion_start");
        d.at(11min, level);
        auto out = d.at(12min, "lights_down");
        EXPECT_FALSE(out.accepted) << level;
        EXPECT_TRUE(out.effects.empty()) << level;
    }
}

}  // namespace
}  // namespace haven::engine::testing
