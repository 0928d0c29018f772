#pragma once
// The room file a subcommand needs, or its diagnostics on stderr (FILE:LINE:COL) and the exit
// code every subcommand uses for them: 2 unreadable, 1 invalid. `refusal` (optional) is a
// last line saying what was not done.

#include <string>

#include "room_config.hpp"

namespace haven::cli {

config::RoomConfig valid_room_or_exit(const std::string& file, const std::string& refusal = "");

}  // namespace haven::cli
