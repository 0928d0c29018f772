#include "cli.hpp"

#include <CLI/CLI.hpp>

#include "subcommands.hpp"

namespace haven::cli {

int run(int argc, char** argv) {
    CLI::App app{"haven: the room controller for ketamine-assisted psychotherapy"};
    app.require_subcommand(1);
    add_run_command(app);
    add_check_command(app);
    add_plan_command(app);
    add_report_command(app);
    add_simulate_room_command(app);
    add_decommission_command(app);
    add_version_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return 0;
}

}  // namespace haven::cli
