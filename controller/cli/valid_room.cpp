#include "valid_room.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "loader.hpp"

namespace haven::cli {

config::RoomConfig valid_room_or_exit(const std::string& file, const std::string& refusal) {
    auto loaded = config::load_room_config(file);
    if (loaded.config) return std::move(*loaded.config);
    for (const auto& d : loaded.diagnostics)
        std::cerr << d.to_string() << "\n";
    if (!refusal.empty()) std::cerr << refusal << "\n";
    throw CLI::RuntimeError(loaded.unreadable ? 2 : 1);
}

}  // namespace haven::cli
