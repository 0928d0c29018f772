#include "session_plan_reader.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace haven::bench {

PlannedSchedule read_session_plan(const std::string& haven, const std::string& room,
                                  const std::string& template_id, const std::string& infusion_start,
                                  const std::string& infusion_stop) {
    std::string command = "'" + haven + "' plan --config '" + room + "' --template " + template_id +
                          " --json --infusion-start " + infusion_start;
    if (!infusion_stop.empty()) command += " --infusion-stop " + infusion_stop;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    std::string text;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        text.append(buffer, n);
    if (pclose(pipe) != 0) throw std::runtime_error("`" + command + "` failed");
    const auto plan = nlohmann::json::parse(text, nullptr, false);
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
