#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "loader.hpp"
#include "pin_warnings.hpp"
#include "playlist.hpp"
#include "subcommands.hpp"

namespace haven::cli {
namespace {

// 0 valid, 1 invalid, 2 unreadable: the worst file decides, so a script can trust the code.
int check_file(const std::string& file) {
    auto result = config::load_room_config(file);
    for (const auto& diagnostic : result.diagnostics)
        std::cout << diagnostic.to_string() << "\n";
    if (result.unreadable) return 2;
    if (!result.config) return 1;
    const auto& room = *result.config;
    // The music itself: every entry of every playlist must exist. `haven run` only warns
    // about these (a room without one track still runs); `check` is where a tech fixes them.
    int playlist_problems = 0;
    for (const auto& [id, playlist] : room.playlists) {
        for (const auto& problem : playlists::validate_playlist(playlist)) {
            std::cout << problem.to_string() << "\n";
            ++playlist_problems;
        }
    }
    if (playlist_problems > 0) return 1;
    // Warnings do not change the exit status: the room runs, but a tech should fix them.
    for (const auto& line : pin_warnings(file, room.panel))
        std::cout << line << "\n";
    std::cout << file << ": ok (room " << room.room.id << ", " << room.lights.size() << " lights, "
              << room.scenes.size() << " scenes, " << room.templates.size() << " templates)\n";
    return 0;
}

}  // namespace

void add_check_command(CLI::App& app) {
    auto files = std::make_shared<std::vector<std::string>>();
    auto* cmd = app.add_subcommand(
        "check",
        "Check room files; print every problem as FILE:LINE:COL: error: MESSAGE and "
        "advice as FILE: warning: MESSAGE");
    cmd->add_option("files", *files, "Room YAML files")->required();
    cmd->footer(
        "Exit status: 0 all valid (warnings or not), 1 some file invalid, 2 some file "
        "unreadable.");
    cmd->callback([files] {
        int worst = 0;
        for (const auto& file : *files)
            worst = std::max(worst, check_file(file));
        if (worst != 0) throw CLI::RuntimeError(worst);
    });
}

}  // namespace haven::cli
