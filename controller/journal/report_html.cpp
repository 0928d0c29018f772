// The printable rendering: one self-contained HTML page (no scripts, no external files)
// for the clinic's chart. Every piece of recorded text is escaped.
#include <initializer_list>

#include "report.hpp"
#include "report_text.hpp"

namespace haven::journal {
namespace {

using namespace report_text;

std::string escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

constexpr const char* style = R"(<style>
body{font-family:system-ui,sans-serif;font-size:11pt;color:#111;margin:2em auto;max-width:60em}
h1{font-size:16pt;margin-bottom:.2em}h2{font-size:12pt;margin:1.4em 0 .4em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.2em .6em .2em 0;vertical-align:top}
th{border-bottom:1px solid #999;font-weight:600}td{border-bottom:1px solid #ddd}
.summary th{width:18em;border:none}.summary td{border:none}.empty{color:#666}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
</style>
)";

class Page {
  public:
    void heading(const std::string& text) { out_ += "<h2>" + escape(text) + "</h2>\n"; }

    void table(std::initializer_list<const char*> headers,
               const std::vector<std::vector<std::string>>& rows) {
        if (rows.empty()) {
            out_ += "<p class=\"empty\">None recorded.</p>\n";
            return;
        }
        out_ += "<table>\n<tr>";
        for (const char* h : headers)
            out_ += std::string("<th>") + h + "</th>";
        out_ += "</tr>\n";
        for (const auto& row : rows) {
            out_ += "<tr>";
            for (const auto& cell : row)
                out_ += "<td>" + escape(cell) + "</td>";
            out_ += "</tr>\n";
        }
        out_ += "</table>\n";
    }

    void summary_row(const char* label, const std::string& value) {
        out_ += std::string("<tr><th>") + label + "</th><td>" + escape(value) + "</td></tr>\n";
    }

    std::string& text() { return out_; }

  private:
    std::string out_;
};

std::string or_dash(const std::string& text) {
    return text.empty() ? "—" : text;
}

void summary(Page& page, const SessionReport& r) {
    page.text() += "<table class=\"summary\">\n";
    page.summary_row("Session", r.session_id);
    page.summary_row("Template", r.template_name + " (" + r.template_id + ")");
    page.summary_row("Started (UTC)", format_utc(r.started));
    page.summary_row("Ended (UTC)",
                     or_dash(time_or_empty(r.ended)) +
                         (r.forced_end ? " — forced before minimum observation" : ""));
    page.summary_row("Total time in room (min)", or_dash(minutes(r.minutes_in_room)));
    page.summary_row("Infusion start to end (min)",
                     or_dash(minutes(r.minutes_infusion_start_to_end)));
    page.text() += "</table>\n";
}

void sections(Page& page, const SessionReport& r) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : r.phases) {
        rows.push_back({p.phase, format_utc(p.start), or_dash(time_or_empty(p.end))});
    }
    page.heading("Phases");
    page.table({"Phase", "Start", "End"}, rows);

    rows.clear();
    for (const auto& i : r.infusion)
        rows.push_back({i.event, format_utc(i.at)});
    page.heading("Infusion");
    page.table({"Event", "Time"}, rows);

    rows.clear();
    for (const auto& m : r.reminders) {
        rows.push_back({m.text, format_utc(m.due), or_dash(time_or_empty(m.acknowledged)),
                        or_dash(m.acknowledged_by), or_dash(time_or_empty(m.missed))});
    }
    page.heading("Reminders");
    page.table({"Reminder", "Due", "Acknowledged", "By", "Missed"}, rows);

    rows.clear();
    for (const auto& a : r.assists) {
        rows.push_back({format_utc(a.raised), or_dash(a.raised_by),
                        or_dash(time_or_empty(a.cleared)), or_dash(a.cleared_by)});
    }
    page.heading("Assists");
    page.table({"Raised", "By", "Cleared", "By"}, rows);

    rows.clear();
    for (const auto& m : r.marks)
        rows.push_back({format_utc(m.at), m.text, or_dash(m.source)});
    page.heading("Marks");
    page.table({"Time", "Note", "By"}, rows);

    rows.clear();
    for (const auto& t : r.timeline) {
        rows.push_back(
            {format_utc(t.at), minutes(elapsed_minutes(r, t.at)), t.detail, or_dash(t.source)});
    }
    page.heading("Timeline");
    page.table({"Time (UTC)", "Min", "Event", "Source"}, rows);
}

}  // namespace

std::string render_html(const SessionReport& r) {
    Page page;
    page.text() += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    page.text() += "<title>Session " + escape(r.session_id) + "</title>\n" + style;
    page.text() += "</head>\n<body>\n<h1>Session record</h1>\n";
    summary(page, r);
    sections(page, r);
    if (!r.notes.empty()) {
        page.heading("Notes");
        page.text() += "<ul>\n";
        for (const auto& note : r.notes)
            page.text() += "<li>" + escape(note) + "</li>\n";
        page.text() += "</ul>\n";
    }
    page.text() += "</body>\n</html>\n";
    return page.text();
}

}  // namespace haven::journal
