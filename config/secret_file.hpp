#pragma once
// A secret (the MQTT password, a panel PIN) lives in a file of its own, named in the config,
// so the config can be shared and logged. One rule for every reader: the secret is the file's
// first line without its line ending (\n or \r\n); spaces are part of it. Its content is never
// logged or echoed.

#include <filesystem>
#include <optional>
#include <string>

namespace haven::config {

// Nothing when the file cannot be read or its first line is empty.
std::optional<std::string> read_secret_file(const std::filesystem::path& file);

}  // namespace haven::config
