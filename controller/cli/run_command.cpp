#include <CLI/CLI.hpp>

#include "subcommands.hpp"

namespace haven::cli {

// Placeholder until the run subcommand lands.
void add_run_command(CLI::App& app) {
    app.add_subcommand("run", "(not yet available)")->callback([] { throw CLI::RuntimeError(2); });
}

}  // namespace haven::cli
