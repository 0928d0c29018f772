#include "yaml_reader.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <system_error>

#include "config_limits.hpp"
#include "utf8.hpp"

namespace haven::config {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

template <typename Names>
std::string closest(std::string_view given, const Names& known) {
    std::string best;
    std::size_t best_distance =
        std::max<std::size_t>(1, std::min<std::size_t>(3, given.size() / 3));
    for (std::string_view name : known) {
        // "zigbee" for "zigbee2mqtt": a truncated name is as likely as a typo.
        if (given.size() >= 3 && name.starts_with(given) && name != given)
            return "did you mean '" + std::string{name} + "'?";
    }
    for (std::string_view name : known) {
        std::size_t d = edit_distance(given, name);
        if (d <= best_distance && name != given) {
            best_distance = d;
            best = name;
        }
    }
    return best.empty() ? std::string{} : "did you mean '" + best + "'?";
}

}  // namespace

std::string shown(const YAML::Node& node) {
    // Quoted back in a diagnostic: a long value is cut so one message stays one line's worth.
    constexpr std::size_t shown_bytes = 80;
    if (node.IsScalar() && node.Scalar().size() > shown_bytes)
        return "'" + to_valid_utf8(node.Scalar().substr(0, shown_bytes)) + "...'";
    if (node.IsScalar()) return "'" + to_valid_utf8(node.Scalar()) + "'";
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    return "nothing";
}

namespace {

bool is_id(std::string_view text) {
    return !text.empty() && text.size() <= max_id_bytes &&
           std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
           });
}

std::string trim(std::string_view text) {
    auto begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return {};
    auto end = text.find_last_not_of(" \t");
    return std::string{text.substr(begin, end - begin + 1)};
}

}  // namespace

std::string did_you_mean(std::string_view given, std::initializer_list<std::string_view> known) {
    return closest(given, known);
}

std::string did_you_mean(std::string_view given, const std::vector<std::string>& known) {
    return closest(given, known);
}

std::string hint_or_choices(std::string_view given, std::initializer_list<std::string_view> known) {
    return hint_or_choices(given, std::span{known.begin(), known.size()});
}

std::string hint_or_choices(std::string_view given, std::span<const std::string_view> known) {
    if (auto hint = closest(given, known); !hint.empty()) return "(" + hint + ")";
    std::string choices = "(expected one of:";
    for (auto name : known)
        choices += " " + std::string{name};
    return choices + ")";
}

YamlReader::YamlReader(std::filesystem::path file, Diagnostics& out)
    : file_(std::move(file)), out_(out) {}

std::string YamlReader::location(const YAML::Node& at) const {
    const auto mark = at.Mark();
    return file_.string() + ":" + std::to_string(mark.line + 1) + ":" +
           std::to_string(mark.column + 1);
}

void YamlReader::error(const YAML::Node& at, std::string message) {
    error_at(at.Mark(), std::move(message));
}

void YamlReader::error_at(const YAML::Mark& mark, std::string message) {
    // yaml-cpp marks are 0-based, and -1 for nodes it made up; editors count from 1.
    out_.push_back(Diagnostic{
        .file = file_.string(),
        .line = mark.line < 0 ? 0 : mark.line + 1,
        .column = mark.column < 0 ? 0 : mark.column + 1,
        .message = std::move(message),
    });
}

bool YamlReader::expect_map(const YAML::Node& node, std::string_view what) {
    if (node.IsMap()) return true;
    error(node, "expected " + std::string{what} + " (a map of keys), got " + shown(node));
    return false;
}

bool YamlReader::check_keys(const YAML::Node& map, std::string_view what,
                            std::initializer_list<std::string_view> allowed) {
    return check_keys(map, what, std::span{allowed.begin(), allowed.size()});
}

bool YamlReader::check_keys(const YAML::Node& map, std::string_view what,
                            std::span<const std::string_view> allowed) {
    std::map<std::string, YAML::Mark> seen;
    bool all_known = true;
    for (const auto& entry : map) {
        const YAML::Node& key = entry.first;
        if (!key.IsScalar()) {
            error(key, "expected a key name in " + std::string{what});
            all_known = false;
            continue;
        }
        const std::string& name = key.Scalar();
        if (auto [it, fresh] = seen.emplace(name, key.Mark()); !fresh) {
            error(key, "key '" + name + "' given twice in " + std::string{what} +
                           " (first at line " + std::to_string(it->second.line + 1) + ")");
            continue;
        }
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
        all_known = false;
        error(key, "unknown key '" + name + "' in " + std::string{what} + " " +
                       hint_or_choices(name, allowed));
    }
    return all_known;
}

void YamlReader::require_keys(const YAML::Node& map, std::string_view what,
                              std::initializer_list<std::string_view> required) {
    require_keys(map, what, std::span{required.begin(), required.size()});
}

void YamlReader::require_keys(const YAML::Node& map, std::string_view what,
                              std::span<const std::string_view> required) {
    for (auto name : required) {
        if (!map[std::string{name}].IsDefined())
            error(map, std::string{what} + " needs '" + std::string{name} + "'");
    }
}

void YamlReader::each_id(
    const YAML::Node& map, std::string_view what,
    const std::function<void(const std::string&, const YAML::Node&, const YAML::Node&)>& visit) {
    std::map<std::string, YAML::Mark> seen;
    for (const auto& entry : map) {
        const YAML::Node& key = entry.first;
        if (!key.IsScalar() || !is_id(key.Scalar())) {
            error(key, "expected " + std::string{what} +
                           " id made of a-z, 0-9, '-' and '_' (at most " +
                           std::to_string(max_id_bytes) + " of them), got " + shown(key));
            continue;
        }
        if (auto [it, fresh] = seen.emplace(key.Scalar(), key.Mark()); !fresh) {
            error(key, "duplicate " + std::string{what} + " id '" + key.Scalar() +
                           "' (first at line " + std::to_string(it->second.line + 1) + ")");
            continue;
        }
        visit(key.Scalar(), key, entry.second);
    }
}

std::optional<std::string> YamlReader::text(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar() && !node.Scalar().empty()) {
        // Names and titles end up in the state and in discovery payloads: bytes that are not
        // UTF-8 would be published as U+FFFD at best, so the tech hears about them here.
        if (is_valid_utf8(node.Scalar())) return node.Scalar();
        error(node, "expected " + std::string{what} +
                        " as UTF-8 text; the file has bytes "
                        "that are not UTF-8 here");
        return std::nullopt;
    }
    error(node, "expected " + std::string{what} + " as text, got " + shown(node));
    return std::nullopt;
}

std::optional<std::string> YamlReader::name(const YAML::Node& node, std::string_view what,
                                            std::size_t max_bytes) {
    auto value = text(node, what);
    if (!value || value->size() <= max_bytes) return value;
    error(node, "expected " + std::string{what} + " of at most " + std::to_string(max_bytes) +
                    " bytes, got " + std::to_string(value->size()));
    return std::nullopt;
}

std::optional<std::string> YamlReader::id(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar() && is_id(node.Scalar())) return node.Scalar();
    error(node, "expected " + std::string{what} + " made of a-z, 0-9, '-' and '_' (at most " +
                    std::to_string(max_id_bytes) + " of them), got " + shown(node));
    return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar()) {
        const std::string& s = node.Scalar();
        if (s == "true" || s == "yes" || s == "on") return true;
        if (s == "false" || s == "no" || s == "off") return false;
    }
    error(node, "expected true or false for " + std::string{what} + ", got " + shown(node));
    return std::nullopt;
}

std::optional<long> YamlReader::integer(const YAML::Node& node, std::string_view what, long min,
                                        long max) {
    if (node.IsScalar()) {
        const std::string& s = node.Scalar();
        std::size_t used = 0;
        try {
            long value = std::stol(s, &used);
            if (used == s.size() && value >= min && value <= max) return value;
        } catch (const std::exception&) {
        }
    }
    error(node, "expected " + std::string{what} + " as a whole number from " + std::to_string(min) +
                    " to " + std::to_string(max) + ", got " + shown(node));
    return std::nullopt;
}

std::optional<Millis> YamlReader::duration(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar()) {
        if (auto value = parse_duration(node.Scalar())) return value;
    }
    error(node, "expected " + std::string{what} + " as a duration like 90s, 15m or 1h30m, got " +
                    shown(node));
    return std::nullopt;
}

std::optional<double> YamlReader::level(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar()) {
        if (auto value = parse_level(node.Scalar())) return value;
    }
    error(node, "expected " + std::string{what} + " as a level from 0 to 100 (40 or 40%), got " +
                    shown(node));
    return std::nullopt;
}

std::optional<int> YamlReader::kelvin(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar()) {
        if (auto value = parse_kelvin(node.Scalar())) return value;
    }
    error(node, "expected " + std::string{what} +
                    " as a colour temperature from 1000K to 10000K, got " + shown(node));
    return std::nullopt;
}

std::optional<AnchorPoint> YamlReader::anchor(const YAML::Node& node, std::string_view what) {
    const std::string expected = "expected " + std::string{what} +
                                 " as infusion_start or infusion_stop, optionally + a duration "
                                 "(infusion_stop + 30m), got " +
                                 shown(node);
    if (!node.IsScalar()) {
        error(node, expected);
        return std::nullopt;
    }
    const std::string& s = node.Scalar();
    auto plus = s.find('+');
    std::string event = trim(std::string_view{s}.substr(0, plus));
    AnchorPoint point;
    if (event == "infusion_start") {
        point.event = Anchor::infusion_start;
    } else if (event == "infusion_stop") {
        point.event = Anchor::infusion_stop;
    } else {
        std::string hint = did_you_mean(event, {"infusion_start", "infusion_stop"});
        error(node, hint.empty() ? expected : expected + " (" + hint + ")");
        return std::nullopt;
    }
    if (plus != std::string::npos) {
        auto offset = parse_duration(trim(std::string_view{s}.substr(plus + 1)));
        if (!offset) {
            error(node, expected);
            return std::nullopt;
        }
        point.offset = *offset;
    }
    return point;
}

std::filesystem::path YamlReader::resolve(const std::string& relative) const {
    std::filesystem::path p{relative};
    if (p.is_absolute()) return p;
    return (std::filesystem::absolute(file_).parent_path() / p).lexically_normal();
}

std::optional<std::filesystem::path> YamlReader::existing_file(const YAML::Node& node,
                                                               std::string_view what) {
    auto name = text(node, what);
    if (!name) return std::nullopt;
    auto path = resolve(*name);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        error(node,
              std::string{what} + " '" + *name + "' not found (looked for " + path.string() + ")");
        return std::nullopt;
    }
    if (!std::ifstream{path}.good()) {
        error(node, std::string{what} + " '" + *name + "' cannot be read (check permissions)");
        return std::nullopt;
    }
    return path;
}

}  // namespace haven::config
