#pragma once
// The vocabulary of commands and cues every input shares: the panel, cue buttons, MQTT,
// the CLI and button `actions:` in a room's config all speak it. Parsing is pure.

#include <optional>
#include <string>
#include <string_view>

#include "iso_time.hpp"
#include "units.hpp"

namespace haven {

enum class CommandKind {
    start,  // argument: template id
    end,    // force: override min_observation (recorded)
    infusion_start,
    infusion_pause,
    infusion_resume,
    infusion_stop,
    next,
    extend,  // duration
    hold,
    release,
    assist,        // the calm level
    emergency,     // the emergency level of assist (from none or calm)
    assist_clear,  // either level back to the phase's scene
    volume,        // number: 0..100
    music_next,
    lights_up,
    lights_down,
    ack,   // argument: reminder id (empty: the oldest pending one)
    mark,  // argument: free text note
    // argument: the event to correct ("infusion_start"); when it really happened either
    // `duration` before the command (negative: "-3m") or at `wall_at` (an absolute time the
    // daemon turns into a duration before the engine sees it, so replays stay exact).
    correct,
};

struct Command {
    CommandKind kind = CommandKind::next;
    std::string argument;
    Millis duration{0};
    double number = 0.0;
    bool force = false;
    std::optional<WallMillis> wall_at;

    bool operator==(const Command&) const = default;
};

// Who or what sent a command; journaled with it and used for per-source debounce.
struct CommandSource {
    enum class Kind { panel, button, mqtt, cli, resume };
    Kind kind = Kind::panel;
    std::string id;  // button id, panel role, MQTT client hint; never patient data

    bool operator==(const CommandSource&) const = default;
};

std::string_view to_string(CommandKind kind);
std::optional<CommandKind> command_kind_from(std::string_view name);
std::string_view to_string(CommandSource::Kind kind);
std::optional<CommandSource::Kind> source_kind_from(std::string_view name);

struct CommandParse {
    std::optional<Command> command;
    std::string error;  // set when command is empty: why it was refused, for the sender
};

// A cue as written in config or typed on the CLI: "next", "extend 5m", "volume 40",
// "ack bp", "mark patient asked for water", "end force", "correct infusion_start -3m",
// "correct infusion_start 2026-12-07T04:10:00Z".
CommandParse parse_cue(std::string_view text);

// A command as it arrives on MQTT/HTTP: the name from the topic or path, and a payload
// that is empty, "PRESS" (Home Assistant buttons), a plain value ("5m", "40",
// "iv-ketamine") or a JSON object ({"template":"iv-ketamine"}, {"minutes":5}, ...).
CommandParse parse_command(std::string_view name, std::string_view payload);

// Canonical text form ("extend 5m"); parse_cue(format_cue(c)) == c.
std::string format_cue(const Command& command);

}  // namespace haven
