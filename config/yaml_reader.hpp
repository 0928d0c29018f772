#pragma once
// Located reading of YAML values: every accessor reports a FILE:LINE:COL diagnostic saying
// what was expected and returns std::nullopt, so the loader can carry on and report every
// problem in one pass. Private to the config library: nothing outside config/ sees yaml-cpp.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "diagnostic.hpp"
#include "room_config.hpp"

namespace haven::config {

class YamlReader {
  public:
    YamlReader(std::filesystem::path file, Diagnostics& out);

    const std::filesystem::path& file() const { return file_; }
    std::string location(const YAML::Node& at) const;  // "FILE:LINE:COL", for cross-references
    void error(const YAML::Node& at, std::string message);
    void error_at(const YAML::Mark& mark, std::string message);

    // True when `node` is a map; otherwise reports "expected <what>".
    bool expect_map(const YAML::Node& node, std::string_view what);
    // Reports keys not in `allowed` (with "did you mean") and keys given twice; false if any.
    bool check_keys(const YAML::Node& map, std::string_view what,
                    std::initializer_list<std::string_view> allowed);
    bool check_keys(const YAML::Node& map, std::string_view what,
                    std::span<const std::string_view> allowed);
    // Reports each key listed in `required` that `map` lacks, at the map itself.
    void require_keys(const YAML::Node& map, std::string_view what,
                      std::initializer_list<std::string_view> required);
    void require_keys(const YAML::Node& map, std::string_view what,
                      std::span<const std::string_view> required);
    // Calls visit(key, key node, value node) for each entry of a map whose keys are ids,
    // reporting ids given twice and ids that do not match [a-z0-9_-]+.
    void each_id(
        const YAML::Node& map, std::string_view what,
        const std::function<void(const std::string&, const YAML::Node&, const YAML::Node&)>& visit);

    std::optional<std::string> text(const YAML::Node& node, std::string_view what);
    // Text shown on the panel and published in MQTT: also at most max_bytes long.
    std::optional<std::string> name(const YAML::Node& node, std::string_view what,
                                    std::size_t max_bytes);
    std::optional<std::string> id(const YAML::Node& node, std::string_view what);
    std::optional<bool> boolean(const YAML::Node& node, std::string_view what);
    std::optional<long> integer(const YAML::Node& node, std::string_view what, long min, long max);
    std::optional<Millis> duration(const YAML::Node& node, std::string_view what);
    std::optional<double> level(const YAML::Node& node, std::string_view what);
    std::optional<int> kelvin(const YAML::Node& node, std::string_view what);
    std::optional<AnchorPoint> anchor(const YAML::Node& node, std::string_view what);

    // A path relative to the config file's folder.
    std::filesystem::path resolve(const std::string& relative) const;
    // A secret or certificate that must exist and be readable; returns its absolute path.
    std::optional<std::filesystem::path> existing_file(const YAML::Node& node,
                                                       std::string_view what);

  private:
    std::filesystem::path file_;
    Diagnostics& out_;
};

// A value as a diagnostic quotes it: 'text' (cut after 80 bytes, made valid UTF-8), or what
// kind of node it is ("a map", "a list", "nothing").
std::string shown(const YAML::Node& node);

// "did you mean 'x'?" for a misspelt name, or an empty string when nothing is close.
std::string did_you_mean(std::string_view given, std::initializer_list<std::string_view> known);
std::string did_you_mean(std::string_view given, const std::vector<std::string>& known);
// "(did you mean 'x'?)" when one is close, else "(expected one of: a b c)".
std::string hint_or_choices(std::string_view given, std::initializer_list<std::string_view> known);
std::string hint_or_choices(std::string_view given, std::span<const std::string_view> known);

// The ids of a map of configured things, for "did you mean".
template <typename Map>
std::vector<std::string> keys_of(const Map& map) {
    std::vector<std::string> keys;
    for (const auto& entry : map)
        keys.push_back(entry.first);
    return keys;
}

}  // namespace haven::config
