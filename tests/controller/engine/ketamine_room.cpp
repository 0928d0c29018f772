#include "ketamine_room.hpp"

#include <gtest/gtest.h>

namespace haven::engine::testing {
namespace {

config::LightTarget level(double percent, std::optional<int> kelvin = std::nullopt) {
    return config::LightTarget{percent, kelvin};
}

config::Scene scene(std::string id, std::map<std::string, config::LightTarget> lights) {
    return config::Scene{std::move(id), std::move(lights)};
}

config::AnchorPoint at_start(Millis offset = 0ms) {
    return {config::Anchor::infusion_start, offset};
}
config::AnchorPoint at_stop(Millis offset = 0ms) {
    return {config::Anchor::infusion_stop, offset};
}

config::Phase phase(std::string id, std::optional<std::string> scene_id, std::optional<Millis> fade,
                    std::optional<config::MusicChange> music) {
    config::Phase p{.id = std::move(id), .music = std::move(music)};
    if (scene_id) p.scene = config::SceneChange{*scene_id, fade};
    return p;
}

config::SessionTemplate iv_ketamine() {
    config::SessionTemplate t{.id = "iv-ketamine", .name = "IV ketamine"};
    auto arrival = phase("arrival", "welcome", 30s, config::MusicChange{"arrival", 25});
    arrival.until = at_start();
    auto onset = phase("onset", "onset", 3min, config::MusicChange{"onset", 35});
    onset.duration = 15min;
    auto deep = phase("deep", "deep", 5min, config::MusicChange{"deep", 30});
    deep.until = at_stop();
    auto back = phase("return", "return", 5min, config::MusicChange{"return", std::nullopt});
    back.duration = 30min;
    back.until = at_stop(20min);
    auto recovery =
        phase("recovery", "recovery", std::nullopt, config::MusicChange{std::nullopt, 20});
    recovery.duration = 30min;
    auto discharge = phase("discharge", "discharge", 2min, std::nullopt);
    t.phases = {arrival, onset, deep, back, recovery, discharge};
    t.reminders = {config::Reminder{.id = "bp",
                                    .text = "Check blood pressure",
                                    .every = 15min,
                                    .from = at_start(),
                                    .until = at_stop(30min)}};
    t.end = config::EndSpec{"discharge", 2min, 30s};
    return t;
}

config::SessionTemplate esketamine() {
    config::SessionTemplate t{.id = "esketamine", .name = "Esketamine nasal spray"};
    auto arrival = phase("arrival", "welcome", 30s, config::MusicChange{"arrival", 25});
    arrival.until = at_start();
    auto dosing = phase("dosing", "onset", 1min, config::MusicChange{"onset", 30});
    dosing.duration = 10min;
    auto observation = phase("observation", "deep", 5min, config::MusicChange{"deep", 30});
    observation.until = at_start(2h);
    auto discharge = phase("discharge", "discharge", 2min, config::MusicChange{"arrival", 20});
    t.phases = {arrival, dosing, observation, discharge};
    t.reminders = {config::Reminder{.id = "bp",
                                    .text = "Blood pressure",
                                    .every = 40min,
                                    .from = at_start(),
                                    .until = at_start(2h)}};
    t.end = config::EndSpec{"discharge", 2min, 30s};
    t.min_observation = 2h;
    return t;
}

}  // namespace

config::RoomConfig ketamine_room() {
    config::RoomConfig room;
    room.room = {"room-1", "Room 1"};
    room.audio.max_volume = 70;
    room.audio.crossfade = 8s;
    for (const char* id : {"ceiling", "lamp", "strip"})
        room.lights[id] = config::LightConfig{.id = id, .driver = "zigbee2mqtt", .topic = id};
    room.lights["ceiling"].color_temp = true;
    for (auto s :
         {scene("welcome", {{"ceiling", level(60, 2700)}, {"lamp", level(50)}}),
          scene("onset", {{"ceiling", level(20, 2400)}, {"lamp", level(30)}}),
          scene("deep", {{"ceiling", level(5, 2200)}, {"lamp", level(10)}, {"strip", level(5)}}),
          scene("return", {{"ceiling", level(20, 2400)}, {"lamp", level(30)}}),
          scene("recovery", {{"ceiling", level(35, 2700)}, {"lamp", level(40)}}),
          scene("discharge", {{"ceiling", level(70, 3000)}, {"lamp", level(60)}}),
          scene("assist",
                {{"ceiling", level(70, 3000)}, {"lamp", level(70)}, {"strip", level(40)}}),
          scene("emergency",
                {{"ceiling", level(100, 4000)}, {"lamp", level(100)}, {"strip", level(100)}})})
        room.scenes[s.id] = s;
    for (const char* id : {"arrival", "onset", "deep", "return"})
        room.playlists[id] =
            config::PlaylistConfig{.id = id, .location = "/music/" + std::string(id)};
    room.assist = config::AssistConfig{"assist", 5s, 30, {"emergency", 1s, 2s}};
    for (auto t : {iv_ketamine(), esketamine()})
        room.templates[t.id] = t;
    return room;
}

std::shared_ptr<const config::RoomConfig> shared_room(config::RoomConfig room) {
    return std::make_shared<const config::RoomConfig>(std::move(room));
}

Command cue(const std::string& text) {
    auto parsed = parse_cue(text);
    EXPECT_TRUE(parsed.command) << text << ": " << parsed.error;
    return parsed.command.value_or(Command{.kind = CommandKind::mark, .argument = "bad cue"});
}

Outcome Driver::keep(Outcome outcome) {
    records.insert(records.end(), outcome.records.begin(), outcome.records.end());
    effects.insert(effects.end(), outcome.effects.begin(), outcome.effects.end());
    return outcome;
}

Outcome Driver::at(Millis when, const std::string& text, const CommandSource& source) {
    return keep(engine.handle(cue(text), source, when));
}

Outcome Driver::start(const std::string& template_id, Millis when) {
    return keep(engine.handle(cue("start " + template_id), panel, when, "s-0001"));
}

Outcome Driver::advance(Millis when) {
    return keep(engine.advance(when));
}

SessionSnapshot Driver::snap(Millis when) const {
    auto s = engine.snapshot(when);
    EXPECT_TRUE(s.has_value());
    return s.value_or(SessionSnapshot{});
}

std::vector<Record> Driver::records_of(const std::string& type) const {
    std::vector<Record> found;
    for (const auto& r : records)
        if (r.data.at("type") == type) found.push_back(r);
    return found;
}

std::vector<Millis> Driver::times_of(const std::string& type, const std::string& field,
                                     const std::string& value) const {
    std::vector<Millis> times;
    for (const auto& r : records_of(type))
        if (field.empty() || (r.data.contains(field) && r.data.at(field) == value))
            times.push_back(r.at);
    return times;
}

Millis Driver::phase_start(const std::string& phase) const {
    auto times = times_of("phase_entered", "phase", phase);
    EXPECT_EQ(times.size(), 1u) << "phase " << phase << " entered " << times.size() << " times";
    return times.empty() ? Millis{-1} : times.back();
}

}  // namespace haven::engine::testing
