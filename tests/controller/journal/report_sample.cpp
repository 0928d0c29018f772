#include "report_sample.hpp"

#include "journal_test_support.hpp"

namespace haven::journal::testing {

std::vector<Entry> sample_iv_session() {
    const std::string s = "7f3a9c2e";
    const nlohmann::json bedside = "button:bedside";
    const nlohmann::json panel = "panel";
    return {
        make_entry(s, "input",
                   {{"command", "start iv-ketamine"},
                    {"source_kind", "panel"},
                    {"source_id", ""},
                    {"session_id", s}},
                   0),
        make_entry(s, "session_started",
                   {{"session", s}, {"template", "iv-ketamine"}, {"template_name", "IV ketamine"}},
                   0),
        make_entry(s, "phase_entered", {{"phase", "arrival"}, {"index", 0}, {"count", 5}}, 0),
        make_entry(s, "phase_entered", {{"phase", "onset"}, {"index", 1}, {"count", 5}}, 600),
        make_entry(s, "infusion", {{"event", "start"}, {"source", bedside}}, 610),
        make_entry(s, "reminder_due",
                   {{"reminder", "bp"}, {"text", "Blood pressure check"}, {"seq", 1}}, 1210),
        make_entry(s, "reminder_acknowledged",
                   {{"reminder", "bp"}, {"seq", 1}, {"source", bedside}}, 1270),
        make_entry(s, "mark",
                   {{"text", "asked for <water> & a blanket, \"cold\""}, {"source", panel}}, 1580),
        make_entry(s, "reminder_due",
                   {{"reminder", "bp"}, {"text", "Blood pressure check"}, {"seq", 2}}, 1810),
        make_entry(s, "assist_raised", {{"source", bedside}}, 1830),
        make_entry(s, "assist_cleared", {{"source", panel}}, 1890),
        make_entry(s, "reminder_missed", {{"reminder", "bp"}, {"seq", 2}}, 2110),
        make_entry(s, "infusion", {{"event", "pause"}, {"source", panel}}, 2200),
        make_entry(s, "infusion", {{"event", "resume"}, {"source", panel}}, 2300),
        make_entry(s, "phase_entered", {{"phase", "peak"}, {"index", 2}, {"count", 5}}, 2400),
        make_entry(s, "reminder_due",
                   {{"reminder", "bp"}, {"text", "Blood pressure check"}, {"seq", 3}}, 2410),
        make_entry(s, "reminder_acknowledged",
                   {{"reminder", "bp"}, {"seq", 3}, {"source", {{"kind", "mqtt"}, {"id", "ha"}}}},
                   2440),
        make_entry(s, "cue", {{"command", "extend 5m"}, {"source", panel}}, 3000),
        make_entry(s, "infusion", {{"event", "stop"}, {"source", bedside}}, 3010),
        make_entry(s, "device_fault", {{"device", "ceiling"}, {"detail", "no reply for 30 s"}},
                   3100),
        make_entry(s, "device_recovered", {{"device", "ceiling"}}, 3150),
        make_entry(
            s, "command_rejected",
            {{"command", "end"}, {"reason", "minimum observation not reached"}, {"source", panel}},
            3300),
        make_entry(s, "resumed", nlohmann::json::object(), 3400),
        make_entry(s, "phase_entered", {{"phase", "return"}, {"index", 3}, {"count", 5}}, 3600),
        make_entry(s, "phase_entered", {{"phase", "recovery"}, {"index", 4}, {"count", 5}}, 4500),
        make_entry(s, "mark", {{"text", "=discharge ok, ride home"}, {"source", panel}}, 5400),
        make_entry(s, "session_ended", {{"forced", false}, {"source", panel}}, 5430),
    };
}

}  // namespace haven::journal::testing
