#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "room_runner.hpp"
#include "subcommands.hpp"
#include "valid_room.hpp"

namespace haven::cli {

// `haven simulate-room --config FILE`: plays the room's lights and buttons on its broker, so
// the demo and a tech without hardware see the room dim and can press its buttons.
void add_simulate_room_command(CLI::App& app) {
    auto config_file = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand(
        "simulate-room",
        "Play every configured light and button on the broker as the real devices would");
    cmd->add_option("--config", *config_file, "Room YAML file")->required();
    cmd->footer("Type: press <button> <action> | offline <light> | online <light> | view | quit");
    cmd->callback([config_file] {
        const int code = simulator::run_simulated_room(valid_room_or_exit(*config_file),
                                                       STDIN_FILENO, std::cout);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace haven::cli
