#pragma once
// What `haven check` says about a room's panel PIN files beyond "valid": warnings a tech should
// act on (who can read them, short PINs, one PIN for both roles). Never prints a PIN.

#include <string>
#include <vector>

#include "room_config.hpp"

namespace haven::cli {

// One "FILE: warning: MESSAGE" line per problem, each saying what to do about it.
std::vector<std::string> pin_warnings(const std::string& room_file,
                                      const config::PanelConfig& panel);

}  // namespace haven::cli
