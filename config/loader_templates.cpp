// templates: the session timelines. Besides types, this is where a tech's logic mistakes
// are caught: phases that can never end, references to scenes or playlists that do not exist.
#include <set>
#include <vector>

#include "config_limits.hpp"
#include "loader_parts.hpp"

namespace haven::config {
namespace {

std::string with_hint(std::string message, const std::string& hint) {
    return hint.empty() ? message : message + " (" + hint + ")";
}

std::optional<std::string> scene_ref(YamlReader& in, const YAML::Node& node,
                                     const RoomConfig& room) {
    auto id = in.text(node, "a scene name");
    if (!id) return std::nullopt;
    if (!room.find_scene(*id)) {
        in.error(node,
                 with_hint("unknown scene '" + *id + "'", did_you_mean(*id, keys_of(room.scenes))));
        return std::nullopt;
    }
    return id;
}

std::optional<SceneChange> read_scene_change(YamlReader& in, const YAML::Node& node,
                                             const RoomConfig& room) {
    if (node.IsScalar()) {
        auto id = scene_ref(in, node, room);
        return id ? std::optional{SceneChange{.scene = *id}} : std::nullopt;
    }
    if (!in.expect_map(node, "a scene name or {name: deep, fade: 3m}")) return std::nullopt;
    in.check_keys(node, "a phase's scene", {"name", "fade"});
    in.require_keys(node, "a phase's scene", {"name"});
    SceneChange change;
    if (node["name"].IsDefined()) change.scene = scene_ref(in, node["name"], room).value_or("");
    if (node["fade"].IsDefined()) change.fade = in.duration(node["fade"], "fade");
    return change;
}

std::optional<MusicChange> read_music(YamlReader& in, const YAML::Node& node,
                                      const RoomConfig& room) {
    if (!in.expect_map(node, "music: {playlist: ..., volume: ...}")) return std::nullopt;
    in.check_keys(node, "a phase's music", {"playlist", "volume"});
    MusicChange music;
    if (const auto& playlist = node["playlist"]; playlist.IsDefined()) {
        if (auto id = in.text(playlist, "a playlist name")) {
            if (!room.playlists.contains(*id))
                in.error(playlist, with_hint("unknown playlist '" + *id + "'",
                                             did_you_mean(*id, keys_of(room.playlists))));
            music.playlist = *id;
        }
    }
    if (node["volume"].IsDefined()) music.volume = in.level(node["volume"], "volume");
    return music;
}

// Anchors in the order the infusion can produce them: stop never comes before start.
bool surely_passed(const AnchorPoint& earlier_wait, const AnchorPoint& later_until) {
    if (earlier_wait.event != later_until.event)
        return earlier_wait.event == Anchor::infusion_stop &&
               later_until.event == Anchor::infusion_start && later_until.offset == Millis{0};
    return earlier_wait.offset >= later_until.offset;
}

std::string anchor_text(const AnchorPoint& point) {
    std::string text = point.event == Anchor::infusion_start ? "infusion_start" : "infusion_stop";
    if (point.offset > Millis{0}) text += " + " + format_duration(point.offset);
    return text;
}

void read_phases(YamlReader& in, const YAML::Node& node, const RoomConfig& room,
                 SessionTemplate& t) {
    if (!node.IsSequence() || node.size() == 0) {
        in.error(node, "expected phases as a list of at least one phase");
        return;
    }
    std::set<std::string> ids;
    // The latest anchor an earlier phase surely waits for (it has no duration to end sooner).
    std::optional<std::pair<AnchorPoint, std::string>> waited;
    for (const auto& v : node) {
        if (!in.expect_map(v, "a phase: {id: ..., duration: ... or until: ...}")) continue;
        bool keys_known =
            in.check_keys(v, "a phase", {"id", "scene", "music", "duration", "until"});
        in.require_keys(v, "a phase", {"id"});
        Phase phase;
        if (v["id"].IsDefined()) {
            phase.id = in.id(v["id"], "phase id").value_or("");
            if (!phase.id.empty() && !ids.insert(phase.id).second)
                in.error(v["id"],
                         "duplicate phase id '" + phase.id + "' in template '" + t.id + "'");
        }
        if (v["scene"].IsDefined()) phase.scene = read_scene_change(in, v["scene"], room);
        if (v["music"].IsDefined()) phase.music = read_music(in, v["music"], room);
        if (v["duration"].IsDefined()) {
            phase.duration = in.duration(v["duration"], "duration");
            if (phase.duration && *phase.duration <= Millis{0}) {
                in.error(v["duration"], "a phase's duration must be longer than 0");
                phase.duration.reset();
            }
        }
        if (v["until"].IsDefined()) phase.until = in.anchor(v["until"], "until");
        if (!v["duration"].IsDefined() && !v["until"].IsDefined()) {
            // A misspelt "duration" was reported already; saying it never ends adds noise.
            if (keys_known)
                in.error(v, "phase '" + phase.id +
                                "' can never end: give it a duration, an until (infusion_start, "
                                "infusion_stop + 10m) or both");
        } else if (phase.until && !phase.duration && waited &&
                   surely_passed(waited->first, *phase.until)) {
            in.error(v["until"], "phase '" + phase.id + "' would end the moment it begins: " +
                                     anchor_text(*phase.until) + " has passed once phase '" +
                                     waited->second + "' ends at " + anchor_text(waited->first));
        }
        if (phase.until && !phase.duration) waited = std::pair{*phase.until, phase.id};
        t.phases.push_back(std::move(phase));
    }
}

void read_reminders(YamlReader& in, const YAML::Node& node, SessionTemplate& t) {
    if (!node.IsSequence()) {
        in.error(node, "expected reminders as a list");
        return;
    }
    std::set<std::string> ids;
    for (const auto& v : node) {
        if (!in.expect_map(v, "a reminder: {id: ..., text: ..., every: ..., from: ...}")) continue;
        in.check_keys(v, "a reminder", {"id", "text", "every", "from", "until", "chime"});
        in.require_keys(v, "a reminder", {"id", "text", "every", "from"});
        Reminder r;
        if (v["id"].IsDefined()) {
            r.id = in.id(v["id"], "reminder id").value_or("");
            if (!r.id.empty() && !ids.insert(r.id).second)
                in.error(v["id"],
                         "duplicate reminder id '" + r.id + "' in template '" + t.id + "'");
        }
        if (v["text"].IsDefined()) r.text = in.text(v["text"], "reminder text").value_or("");
        if (v["every"].IsDefined()) {
            r.every = in.duration(v["every"], "every").value_or(Millis{0});
            if (r.every < Millis{60000} && r.every > Millis{0})
                in.error(v["every"], "a reminder every " + format_duration(r.every) +
                                         " would nag; expected at least 1m");
            else if (r.every == Millis{0} && parse_duration(v["every"].Scalar()))
                in.error(v["every"], "a reminder's every must be longer than 0");
        }
        if (v["from"].IsDefined()) r.from = in.anchor(v["from"], "from").value_or(AnchorPoint{});
        if (v["until"].IsDefined()) {
            r.until = in.anchor(v["until"], "until");
            if (r.until && r.until->event == r.from.event && r.until->offset <= r.from.offset)
                in.error(v["until"], "reminder '" + r.id + "' ends before it starts (until " +
                                         anchor_text(*r.until) + " is not after from " +
                                         anchor_text(r.from) + ")");
        }
        if (v["chime"].IsDefined()) r.chime = in.boolean(v["chime"], "chime").value_or(false);
        t.reminders.push_back(std::move(r));
    }
}

void read_end(YamlReader& in, const YAML::Node& node, const RoomConfig& room, EndSpec& end) {
    if (!in.expect_map(node, "end: {scene: ..., fade: ..., music_fade: ...}")) return;
    in.check_keys(node, "end", {"scene", "fade", "music_fade"});
    if (node["scene"].IsDefined()) end.scene = scene_ref(in, node["scene"], room);
    if (node["fade"].IsDefined()) end.fade = in.duration(node["fade"], "fade").value_or(end.fade);
    if (node["music_fade"].IsDefined())
        end.music_fade = in.duration(node["music_fade"], "music_fade").value_or(end.music_fade);
}

}  // namespace

void read_templates(YamlReader& in, const YAML::Node& node, RoomConfig& room,
                    std::map<std::string, std::string>& defined_at) {
    if (!in.expect_map(node, "templates")) return;
    in.each_id(node, "template",
               [&](const std::string& id, const YAML::Node& key, const YAML::Node& v) {
                   if (auto earlier = defined_at.find(id); earlier != defined_at.end()) {
                       in.error(key, "duplicate template id '" + id + "' (also defined at " +
                                         earlier->second + ")");
                       return;
                   }
                   defined_at.emplace(id, in.location(key));
                   if (!in.expect_map(v, "a template: {name: ..., phases: [...]}")) return;
                   in.check_keys(v, "template '" + id + "'",
                                 {"name", "phases", "reminders", "end", "min_observation"});
                   in.require_keys(v, "template '" + id + "'", {"name", "phases"});
                   SessionTemplate t{.id = id};
                   if (v["name"].IsDefined())
                       t.name = in.name(v["name"], "template name", max_name_bytes).value_or(id);
                   if (v["phases"].IsDefined()) read_phases(in, v["phases"], room, t);
                   if (v["reminders"].IsDefined()) read_reminders(in, v["reminders"], t);
                   if (v["end"].IsDefined()) read_end(in, v["end"], room, t.end);
                   if (v["min_observation"].IsDefined())
                       t.min_observation =
                           in.duration(v["min_observation"], "min_observation").value_or(Millis{0});
                   room.templates.emplace(id, std::move(t));
               });
}

}  // namespace haven::config
