#pragma once
// What the session engine hands back: effects for the devices, records for the journal.
// Plain values; the daemon turns effects into device messages and records into journal rows.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "record_type.hpp"
#include "room_config.hpp"
#include "units.hpp"

namespace haven::engine {

// Milliseconds on a monotonic timeline supplied by the caller; the engine never reads a clock.
using EngineTime = haven::Millis;

// The engine never asks for a hard cut: every fade it emits is at least this long.
inline constexpr Millis minimum_fade{1000};
// Fade used by reassert() to bring the room back after a restart: quick but gentle.
inline constexpr Millis reassert_fade{5000};
// Music volume (percent) before any phase has set one.
inline constexpr double default_volume = 40;

// Assist in two levels: calm (the `assist` command) and emergency.
enum class AssistLevel { none, calm, emergency };
std::string_view to_string(AssistLevel level);

// Lights: the scene's targets already resolved (lights_up/down offset applied, 0..100).
struct SceneEffect {
    std::string scene;
    std::map<std::string, config::LightTarget> targets;
    Millis fade{0};
    bool operator==(const SceneEffect&) const = default;
};

// Music: playlist empty keeps the current playlist; volume in percent.
struct MusicEffect {
    std::optional<std::string> playlist;
    double volume = 0;
    Millis fade{0};
    bool operator==(const MusicEffect&) const = default;
};

struct MusicNextEffect {
    bool operator==(const MusicNextEffect&) const = default;
};

struct MusicStopEffect {
    Millis fade{0};
    bool operator==(const MusicStopEffect&) const = default;
};

// A notice for the panel / nurse station. kind: "assist", "assist_cleared", "reminder_due",
// "reminder_missed".
struct AlertEffect {
    std::string kind;
    std::string text;
    bool chime = false;  // a reminder configured with `chime: true`: play the soft chime
    bool operator==(const AlertEffect&) const = default;
};

using Effect =
    std::variant<SceneEffect, MusicEffect, MusicNextEffect, MusicStopEffect, AlertEffect>;

// One entry for the session record. data["type"] names a RecordType (record_type.hpp): the
// JSON is what the journal, MQTT and the panel carry; type() is how Haven compares it.
struct Record {
    EngineTime at{0};
    nlohmann::json data;
    std::optional<RecordType> type() const {
        const auto it = data.find("type");
        if (it == data.end() || !it->is_string()) return std::nullopt;
        return record_type_from(it->get_ref<const std::string&>());
    }
};

struct Outcome {
    bool accepted = true;
    std::string reason;  // set when !accepted: why, in words a therapist understands
    std::vector<Effect> effects;
    std::vector<Record> records;
};

}  // namespace haven::engine
