#pragma once
// Bounds on what a config file may hold, so a wrong or hostile file is refused quickly with a
// located message instead of costing gigabytes to check and being published every second.
// Private to the config library.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "yaml_reader.hpp"

namespace haven::config {

// Real room and template files are a few kilobytes; a megabyte is already a wrong file.
inline constexpr std::size_t max_config_bytes = 1024 * 1024;
// One value or key: a path, a topic, a reminder's text. Names shown on the panel and in
// MQTT are shorter still (max_name_bytes).
inline constexpr std::size_t max_value_bytes = 1024;
inline constexpr std::size_t max_name_bytes = 200;
// Ids become parts of MQTT topics and HA entity ids.
inline constexpr std::size_t max_id_bytes = 64;
// Values visited in one file, aliases counted each time they are used: far beyond any room,
// and it stops a YAML alias bomb from expanding.
inline constexpr std::size_t max_config_values = 100'000;

// The file's text, or nullopt with a diagnostic at FILE:1:1 when it is too big or unreadable.
std::optional<std::string> read_config_text(const std::filesystem::path& file,
                                            YamlReader& in_for_errors);
// Reports text too long for one file, every value or key over max_value_bytes, and a tree
// with more than max_config_values values. False when anything was reported.
bool check_config_sizes(YamlReader& in, std::size_t text_bytes, const YAML::Node& root);

}  // namespace haven::config
