#include <CLI/CLI.hpp>

#include "subcommands.hpp"

namespace haven::cli {

// Placeholder until the plan subcommand lands.
void add_plan_command(CLI::App& app) {
    app.add_subcommand("plan", "(not yet available)")->callback([] { throw CLI::RuntimeError(2); });
}

}  // namespace haven::cli
