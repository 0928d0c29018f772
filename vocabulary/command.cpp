#include "command.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "utf8.hpp"

namespace haven {
namespace {

constexpr std::size_t max_payload_bytes = 4096;
constexpr std::size_t max_mark_chars = 500;

constexpr std::array<std::pair<CommandKind, std::string_view>, 20> command_names{{
    {CommandKind::start, "start"},
    {CommandKind::end, "end"},
    {CommandKind::infusion_start, "infusion_start"},
    {CommandKind::infusion_pause, "infusion_pause"},
    {CommandKind::infusion_resume, "infusion_resume"},
    {CommandKind::infusion_stop, "infusion_stop"},
    {CommandKind::next, "next"},
    {CommandKind::extend, "extend"},
    {CommandKind::hold, "hold"},
    {CommandKind::release, "release"},
    {CommandKind::assist, "assist"},
    {CommandKind::emergency, "emergency"},
    {CommandKind::assist_clear, "assist_clear"},
    {CommandKind::volume, "volume"},
    {CommandKind::music_next, "music_next"},
    {CommandKind::lights_up, "lights_up"},
    {CommandKind::lights_down, "lights_down"},
    {CommandKind::ack, "ack"},
    {CommandKind::mark, "mark"},
    {CommandKind::correct, "correct"},
}};

// How far back a relative correction may reach: longer than any session a room runs.
constexpr Millis max_correction{std::chrono::hours(12)};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

CommandParse refuse(std::string reason) {
    return CommandParse{std::nullopt, std::move(reason)};
}

// Template and reminder ids are config ids: [a-z0-9_-]+, so a stray payload cannot pose as one.
bool is_id(std::string_view text) {
    if (text.empty() || text.size() > 64) return false;
    for (char c : text) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

bool is_printable_utf8(std::string_view text) {
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) return false;
    }
    return true;
}

// "infusion_start -3m" or "infusion_start 2026-12-07T04:10:00Z". Only the infusion start
// can be corrected: it anchors the observation clock and every check, and a mis-tap there
// is the one the room cannot otherwise repair.
CommandParse correction(std::string_view arg) {
    const auto space = arg.find_first_of(" \t");
    const auto event = arg.substr(0, space);
    const auto at = space == std::string_view::npos ? std::string_view{} : trim(arg.substr(space));
    if (event != "infusion_start")
        return refuse("correct needs the event to correct: only infusion_start can be corrected");
    Command command{.kind = CommandKind::correct, .argument = std::string{event}};
    if (!at.empty() && at.front() == '-') {
        auto ago = parse_duration(at.substr(1));
        if (!ago || ago->count() <= 0 || *ago > max_correction)
            return refuse("correct needs a time before now between 1s and 12h such as -3m");
        command.duration = -*ago;
    } else if (auto wall = parse_iso_time(at)) {
        command.wall_at = *wall;
    } else {
        return refuse(
            "correct needs when it really happened: -3m (before now) or a time "
            "with its zone such as 2026-12-07T04:10:00Z");
    }
    return CommandParse{command, {}};
}

CommandParse with_argument(CommandKind kind, std::string_view arg) {
    Command command{.kind = kind};
    const std::string name{to_string(kind)};
    switch (kind) {
        case CommandKind::start:
            if (arg.empty()) return refuse("start needs a template id");
            if (!is_id(arg))
                return refuse("start needs a template id ([a-z0-9-]), got '" +
                              std::string(arg.substr(0, 64)) + "'");
            command.argument = arg;
            break;
        case CommandKind::end:
            if (arg == "force") {
                command.force = true;
            } else if (!arg.empty()) {
                return refuse("end takes no value, or 'force' to override the minimum observation");
            }
            break;
        case CommandKind::extend: {
            auto duration = parse_duration(arg);
            if (arg.empty()) return refuse("extend needs a duration such as 5m");
            if (!duration || duration->count() <= 0 || *duration > std::chrono::hours(2)) {
                return refuse("extend needs a duration between 1s and 2h such as 5m, got '" +
                              std::string(arg) + "'");
            }
            command.duration = *duration;
            break;
        }
        case CommandKind::volume: {
            auto level = parse_level(arg);
            if (!level) return refuse("volume needs a level 0-100, got '" + std::string(arg) + "'");
            command.number = *level;
            break;
        }
        case CommandKind::ack:
            if (!arg.empty() && !is_id(arg)) return refuse("ack needs a reminder id ([a-z0-9-])");
            command.argument = arg;  // empty: the oldest pending reminder
            break;
        case CommandKind::correct:
            return correction(arg);
        case CommandKind::mark:
            if (arg.empty()) return refuse("mark needs a note");
            if (arg.size() > max_mark_chars)
                return refuse("mark notes are limited to 500 characters");
            command.argument = arg;
            break;
        default:
            if (!arg.empty()) return refuse(name + " takes no value");
    }
    if (!is_printable_utf8(command.argument)) return refuse("control characters are not allowed");
    return CommandParse{command, {}};
}

// The keys each command's JSON form takes. Anything else is refused: before, any object
// passed as a bare command, so {"volume":[1,2,3]} sent to cmd/end ended a session.
std::vector<std::string_view> json_keys(CommandKind kind) {
    switch (kind) {
        case CommandKind::start:
            return {"template"};
        case CommandKind::extend:
            return {"minutes", "duration"};
        case CommandKind::volume:
            return {"volume", "level"};
        case CommandKind::ack:
            return {"reminder"};
        case CommandKind::mark:
            return {"text"};
        case CommandKind::end:
            return {"force"};
        case CommandKind::correct:
            return {"event", "at"};
        default:
            return {};
    }
}

// {"template":"iv"}, {"duration":"5m"}, {"minutes":5}, {"volume":40}, {"reminder":"bp"},
// {"text":"..."}, {"force":true}: whichever field fits the command, and no other.
CommandParse from_json(CommandKind kind, std::string_view payload) {
    auto json = nlohmann::json::parse(payload, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return refuse("payload is not a JSON object");
    const auto allowed = json_keys(kind);
    for (const auto& item : json.items()) {
        if (std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end()) continue;
        // A mark's payload is a note: any key of it may be the note itself, and refusals
        // reach MQTT and the log, so that one is never quoted.
        if (kind == CommandKind::mark) return refuse("mark takes only {\"text\": \"...\"}");
        const std::string key = item.key().substr(0, 32);
        return refuse(allowed.empty()
                          ? std::string{to_string(kind)} + " takes no value, got a key '" + key +
                                "'"
                          : std::string{to_string(kind)} + " takes no key '" + key + "'");
    }
    auto string_field = [&](const char* key) -> std::optional<std::string> {
        auto it = json.find(key);
        if (it == json.end()) return std::nullopt;
        if (it->is_string()) return it->get<std::string>();
        if (it->is_number()) return it->dump();
        return std::string{"\x01"};  // a type nothing accepts; refused below as malformed
    };
    std::string arg;
    switch (kind) {
        case CommandKind::start:
            arg = string_field("template").value_or("");
            break;
        case CommandKind::extend:
            if (auto minutes = json.find("minutes"); minutes != json.end()) {
                if (!minutes->is_number()) return refuse("minutes must be a number");
                arg = std::to_string(minutes->get<double>()) + "m";
            } else {
                arg = string_field("duration").value_or("");
            }
            break;
        case CommandKind::volume:
            arg = string_field("volume").value_or(string_field("level").value_or(""));
            break;
        case CommandKind::ack:
            arg = string_field("reminder").value_or("");
            break;
        case CommandKind::mark:
            arg = string_field("text").value_or("");
            break;
        case CommandKind::correct:
            arg = string_field("event").value_or("") + " " + string_field("at").value_or("");
            break;
        case CommandKind::end:
            if (auto force = json.find("force"); force != json.end()) {
                if (!force->is_boolean()) return refuse("force must be true or false");
                if (force->get<bool>()) arg = "force";
            }
            break;
        default:
            break;
    }
    return with_argument(kind, trim(arg));
}

}  // namespace

std::string_view to_string(CommandKind kind) {
    for (const auto& [k, name] : command_names) {
        if (k == kind) return name;
    }
    return "unknown";
}

std::optional<CommandKind> command_kind_from(std::string_view name) {
    for (const auto& [kind, n] : command_names) {
        if (n == name) return kind;
    }
    return std::nullopt;
}

std::string_view to_string(CommandSource::Kind kind) {
    switch (kind) {
        case CommandSource::Kind::panel:
            return "panel";
        case CommandSource::Kind::button:
            return "button";
        case CommandSource::Kind::mqtt:
            return "mqtt";
        case CommandSource::Kind::cli:
            return "cli";
        case CommandSource::Kind::resume:
            return "resume";
    }
    return "unknown";
}

std::optional<CommandSource::Kind> source_kind_from(std::string_view name) {
    for (auto kind :
         {CommandSource::Kind::panel, CommandSource::Kind::button, CommandSource::Kind::mqtt,
          CommandSource::Kind::cli, CommandSource::Kind::resume})
        if (to_string(kind) == name) return kind;
    return std::nullopt;
}

namespace {

// A refusal names an unknown command only when the name looks like one: a topic such as
// cmd/mark<note> or cmd/<free text> must not carry that text into events and logs.
CommandParse refuse_unknown(std::string_view name) {
    const bool name_like =
        !name.empty() && name.size() <= 32 && !name.starts_with("mark") &&
        std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
    return refuse(name_like ? "unknown command '" + std::string{name} + "'"
                            : std::string{"unknown command (name not shown)"});
}

}  // namespace

CommandParse parse_cue(std::string_view text) {
    if (text.size() > max_payload_bytes) return refuse("cue is too long");
    if (!is_valid_utf8(text)) return refuse("cue is not valid UTF-8 text");
    text = trim(text);
    auto space = text.find_first_of(" \t");
    auto name = text.substr(0, space);
    auto arg = space == std::string_view::npos ? std::string_view{} : trim(text.substr(space));
    auto kind = command_kind_from(name);
    if (!kind) return refuse_unknown(name);
    return with_argument(*kind, arg);
}

CommandParse parse_command(std::string_view name, std::string_view payload) {
    if (payload.size() > max_payload_bytes) return refuse("payload larger than 4096 bytes");
    auto kind = command_kind_from(name);
    if (!kind) return refuse_unknown(name);
    // Checked before anything can quote the payload back in a refusal or a log line.
    if (!is_valid_utf8(payload)) return refuse("payload is not valid UTF-8 text");
    payload = trim(payload);
    if (payload == "PRESS") payload = {};
    if (!payload.empty() && payload.front() == '{') return from_json(*kind, payload);
    return with_argument(*kind, payload);
}

std::string format_cue(const Command& command) {
    std::string out{to_string(command.kind)};
    switch (command.kind) {
        case CommandKind::extend:
            return out + " " + format_duration(command.duration);
        case CommandKind::volume: {
            char buffer[32];
            auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, command.number);
            return out + " " + std::string(buffer, ec == std::errc{} ? end : buffer);
        }
        case CommandKind::end:
            return command.force ? out + " force" : out;
        case CommandKind::correct:
            return out + " " + command.argument + " " +
                   (command.wall_at ? format_iso_time(*command.wall_at)
                                    : format_duration(command.duration));
        default:
            return command.argument.empty() ? out : out + " " + command.argument;
    }
}

}  // namespace haven
