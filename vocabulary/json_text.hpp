#pragma once
// The one way Haven turns JSON into text. nlohmann::json::dump() throws on invalid UTF-8 by
// default, and much of what Haven serialises carries text from outside (a command's
// argument, a device's name, a refusal that quotes its input): a throw there would stop the
// room. Here invalid sequences become U+FFFD instead.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace haven {

std::string json_text(const nlohmann::json& value, int indent = -1);
// Keys in insertion order, for devices that care (WLED, Shelly).
std::string json_text(const nlohmann::ordered_json& value, int indent = -1);

}  // namespace haven
