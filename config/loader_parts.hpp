#pragma once
// The loader's sections, one file each; shared only inside config/.

#include "dialect_catalogue.hpp"
#include "yaml_reader.hpp"

namespace haven::config {

void read_lights(YamlReader& in, const YAML::Node& node, const std::vector<DialectEntry>& dialects,
                 RoomConfig& room);
void read_buttons(YamlReader& in, const YAML::Node& node, const std::vector<DialectEntry>& dialects,
                  RoomConfig& room);
void read_panel(YamlReader& in, const YAML::Node& node, RoomConfig& room);
void read_scenes(YamlReader& in, const YAML::Node& node, RoomConfig& room);
void read_assist(YamlReader& in, const YAML::Node& node, RoomConfig& room);
// Templates may also come from shared files (`template_files:`); `in` names the file.
void read_templates(YamlReader& in, const YAML::Node& node, RoomConfig& room,
                    std::map<std::string, std::string>& defined_at);

}  // namespace haven::config
