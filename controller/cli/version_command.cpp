#include <CLI/CLI.hpp>
#include <iostream>

#include "subcommands.hpp"
#include "version.hpp"

namespace haven::cli {

void add_version_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("version", "Print Haven's version");
    cmd->callback([] { std::cout << "haven " << haven::version << "\n"; });
}

}  // namespace haven::cli
