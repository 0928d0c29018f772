#include "session_plan_reader.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "run_command.hpp"

namespace haven::bench {

PlannedSchedule read_session_plan(const std::string& haven, const std::string& room,
                                  const std::string& template_id, const std::string& infusion_start,
                                  const std::string& infusion_stop) {
    std::vector<std::string> argv{haven,         "plan",      "--config", room,
                                  "--template",  template_id, "--json",   "--infusion-start",
                                  infusion_start};
    if (!infusion_stop.empty()) argv.insert(argv.end(), {"--infusion-stop", infusion_stop});
    const std::string command = haven + " plan --template " + template_id;  // for messages
    const auto result = test::run_command(std::move(argv));
    if (result.exit_code != 0) throw std::runtime_error("`" + command + "` failed: " + result.err);
    const auto plan = nlohmann::json::parse(result.out, nullptr, false);
    if (plan.is_discarded() || !plan.contains("phases"))
        throw std::runtime_error("`" + command + "` printed no plan");

    PlannedSchedule schedule;
    for (const auto& phase : plan.at("phases")) {
        if (phase.at("start_s").is_null()) continue;  // never reached without cues
        PlannedPhaseTimes times{.id = phase.at("id").get<std::string>(),
                                .start_s = phase.at("start_s").get<double>()};
        if (!phase.at("end_s").is_null()) times.end_s = phase.at("end_s").get<double>();
        if (!phase.at("fade_s").is_null()) {
            times.fade_s = phase.at("fade_s").get<double>();
            times.has_scene = true;
        }
        schedule.phases.push_back(times);
    }
    for (const auto& reminder : plan.at("reminders")) {
        const auto id = reminder.at("id").get<std::string>();
        schedule.reminder_text[id] = reminder.at("text").get<std::string>();
        auto& at = schedule.reminder_at_s[id];
        for (const auto& t : reminder.at("at_s"))
            at.push_back(t.get<double>());
    }
    return schedule;
}

}  // namespace haven::bench
