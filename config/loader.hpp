#pragma once
// Reads and validates a room's YAML file. Reports every problem it finds, each located
// at FILE:LINE:COL, not only the first: a tech fixes a file in one pass.

#include <filesystem>
#include <optional>
#include <string>

#include "diagnostic.hpp"
#include "dialect_catalogue.hpp"
#include "room_config.hpp"

namespace haven::config {

struct LoadResult {
    std::optional<RoomConfig> config;  // set only when diagnostics is empty
    Diagnostics diagnostics;
    bool unreadable = false;  // the file could not be read at all (haven check exits 2)
};

// `dialects` are the light and button drivers the room may name (and the keys each takes).
LoadResult load_room_config(const std::filesystem::path& file,
                            const DialectCatalogue& dialects = shipped_dialects());

// Same, from text already in memory (tests, fuzzing); `file` names it in diagnostics and
// anchors relative paths.
LoadResult load_room_config_from_string(const std::string& yaml, const std::filesystem::path& file,
                                        const DialectCatalogue& dialects = shipped_dialects());

}  // namespace haven::config
