#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "json_text.hpp"
#include "session_plan.hpp"
#include "subcommands.hpp"
#include "valid_room.hpp"

namespace haven::cli {
namespace {

struct PlanCommandOptions {
    std::string config_file;
    std::string template_id;
    std::string infusion_start = "10m";  // from session start to T0
    std::string infusion_stop;           // from T0 to the stop; default 40m
    int infusion_minutes = 0;            // the same, in minutes (README form)
    bool json = false;
};

Millis duration_option(const std::string& text, const char* name) {
    auto parsed = parse_duration(text);
    if (!parsed || parsed->count() < 0) {
        std::cerr << "haven plan: " << name << " needs a duration such as 20m, got '" << text
                  << "'\n";
        throw CLI::RuntimeError(2);
    }
    return *parsed;
}

void print_plan(const PlanCommandOptions& o) {
    auto room =
        valid_room_or_exit(o.config_file, "haven plan: " + o.config_file + " is not a valid room");
    engine::PlanOptions options;
    options.infusion_start_after = duration_option(o.infusion_start, "--infusion-start");
    if (!o.infusion_stop.empty())
        options.infusion_length = duration_option(o.infusion_stop, "--infusion-stop");
    if (o.infusion_minutes > 0) options.infusion_length = std::chrono::minutes(o.infusion_minutes);

    auto config = std::make_shared<const config::RoomConfig>(std::move(room));
    auto result = engine::plan_session(config, o.template_id, options);
    if (!result.plan) {
        std::cerr << "haven plan: " << result.error << " in " << o.config_file;
        if (!config->templates.empty()) {
            std::cerr << " (templates:";
            for (const auto& [id, t] : config->templates)
                std::cerr << " " << id;
            std::cerr << ")";
        }
        std::cerr << "\n";
        throw CLI::RuntimeError(1);
    }
    if (o.json) {
        std::cout << json_text(engine::to_json(*result.plan), 2) << "\n";
    } else {
        std::cout << engine::format_plan(*result.plan);
    }
}

}  // namespace

// The engine itself runs the template on simulated time, so the plan is what a session does.
void add_plan_command(CLI::App& app) {
    auto o = std::make_shared<PlanCommandOptions>();
    auto* cmd = app.add_subcommand("plan", "Print a template's planned timeline, from T0");
    auto* file = cmd->add_option("--config,config", o->config_file, "The room's YAML file");
    file->required()->check(CLI::ExistingFile);
    cmd->add_option("--template,template", o->template_id, "Template id")->required();
    cmd->add_option("--infusion-start", o->infusion_start,
                    "Time from session start to infusion start (default 10m)");
    auto* stop = cmd->add_option("--infusion-stop", o->infusion_stop,
                                 "Infusion length: time from infusion start to stop (default 40m)");
    cmd->add_option("--infusion-minutes", o->infusion_minutes, "Infusion length in minutes")
        ->check(CLI::Range(1, 24 * 60))
        ->excludes(stop);
    cmd->add_flag("--json", o->json, "Print JSON (offsets in seconds from T0)");
    cmd->callback([o] { print_plan(*o); });
}

}  // namespace haven::cli
