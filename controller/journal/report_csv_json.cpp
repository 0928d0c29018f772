// The machine-readable renderings: CSV (the timeline, one row per record, for a
// spreadsheet) and JSON (the whole report).
#include <cmath>

#include "json_text.hpp"
#include "report.hpp"
#include "report_text.hpp"

namespace haven::journal {
namespace {

using nlohmann::json;
using namespace report_text;

// RFC 4180 quoting; free text that a spreadsheet would run as a formula gets a leading
// apostrophe, so a mark typed as "=..." stays text.
std::string csv_cell(std::string text, bool free_text) {
    if (free_text && !text.empty() && std::string("=+-@").find(text.front()) != std::string::npos) {
        text.insert(text.begin(), '\'');
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

void csv_row(std::string& out, const std::string& at, const std::string& elapsed,
             const std::string& event, const std::string& detail, const std::string& source) {
    out += csv_cell(at, false) + "," + elapsed + "," + csv_cell(event, false) + "," +
           csv_cell(detail, true) + "," + csv_cell(source, true) + "\r\n";
}

json time_json(const std::optional<WallTime>& at) {
    return at ? json(format_utc(*at)) : json(nullptr);
}

json minutes_json(const std::optional<double>& value) {
    return value ? json(std::round(*value * 10.0) / 10.0) : json(nullptr);
}

}  // namespace

std::string render_csv(const SessionReport& report) {
    std::string out = "time_utc,elapsed_min,event,detail,source\r\n";
    for (const auto& item : report.timeline) {
        csv_row(out, format_utc(item.at), minutes(elapsed_minutes(report, item.at)), item.event,
                item.detail, item.source);
    }
    // The two figures the chart asks for, as rows a spreadsheet can pick out by name.
    std::string end = time_or_empty(report.ended);
    csv_row(out, end, "", "total_minutes_in_room", minutes(report.minutes_in_room), "");
    csv_row(out, end, "", "minutes_infusion_start_to_end",
            minutes(report.minutes_infusion_start_to_end), "");
    return out;
}

std::string render_json(const SessionReport& report) {
    json out{
        {"session", report.session_id},
        {"template", report.template_id},
        {"template_name", report.template_name},
        {"started", format_utc(report.started)},
        {"ended", time_json(report.ended)},
        {"forced_end", report.forced_end},
        {"ended_by", report.ended_by},
        {"minutes_in_room", minutes_json(report.minutes_in_room)},
        {"minutes_infusion_start_to_end", minutes_json(report.minutes_infusion_start_to_end)},
        {"phases", json::array()},
        {"infusion", json::array()},
        {"reminders", json::array()},
        {"assists", json::array()},
        {"marks", json::array()},
        {"timeline", json::array()},
        {"notes", report.notes},
    };
    for (const auto& p : report.phases) {
        out["phases"].push_back({{"phase", p.phase},
                                 {"index", p.index},
                                 {"start", format_utc(p.start)},
                                 {"end", time_json(p.end)}});
    }
    for (const auto& i : report.infusion) {
        out["infusion"].push_back({{"event", i.event}, {"at", format_utc(i.at)}});
    }
    for (const auto& r : report.reminders) {
        out["reminders"].push_back({{"reminder", r.reminder},
                                    {"text", r.text},
                                    {"seq", r.seq},
                                    {"due", format_utc(r.due)},
                                    {"acknowledged", time_json(r.acknowledged)},
                                    {"acknowledged_by", r.acknowledged_by},
                                    {"missed", time_json(r.missed)}});
    }
    for (const auto& a : report.assists) {
        out["assists"].push_back({{"raised", format_utc(a.raised)},
                                  {"raised_by", a.raised_by},
                                  {"cleared", time_json(a.cleared)},
                                  {"cleared_by", a.cleared_by}});
    }
    for (const auto& m : report.marks) {
        out["marks"].push_back({{"at", format_utc(m.at)}, {"text", m.text}, {"source", m.source}});
    }
    for (const auto& t : report.timeline) {
        out["timeline"].push_back({{"at", format_utc(t.at)},
                                   {"event", t.event},
                                   {"detail", t.detail},
                                   {"source", t.source}});
    }
    return json_text(out, 2) + "\n";
}

}  // namespace haven::journal
