#pragma once
// One function per `haven` subcommand, each in its own file, each adding itself to the app.
// A subcommand reports failure by throwing CLI::RuntimeError(exit_code).

namespace CLI {
class App;
}

namespace haven::cli {

void add_version_command(CLI::App& app);
void add_check_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_plan_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_simulate_room_command(CLI::App& app);
void add_decommission_command(CLI::App& app);

}  // namespace haven::cli
