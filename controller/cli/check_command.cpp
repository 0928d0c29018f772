#include <CLI/CLI.hpp>

#include "subcommands.hpp"

namespace haven::cli {

// Placeholder until the check subcommand lands.
void add_check_command(CLI::App& app) {
    app.add_subcommand("check", "(not yet available)")->callback([] {
        throw CLI::RuntimeError(2);
    });
}

}  // namespace haven::cli
