#pragma once
// One session's record for the clinic's chart, built from its journal entries. Pure:
// no I/O, no clock; the same entries always give the same report and the same text.

#include <optional>
#include <string>
#include <vector>

#include "entry.hpp"

namespace haven::journal {

struct PhaseSpan {
    std::string phase;
    int index = 0;
    WallTime start;
    std::optional<WallTime> end;  // empty while the session is still open
};

struct InfusionEvent {
    std::string event;  // start | pause | resume | stop
    WallTime at;
};

struct ReminderRecord {
    std::string reminder;
    std::string text;
    int seq = 0;
    WallTime due;
    std::optional<WallTime> acknowledged;
    std::string acknowledged_by;  // the source, e.g. "button:bedside"
    std::optional<WallTime> missed;
};

struct AssistSpan {
    WallTime raised;
    std::string raised_by;
    std::optional<WallTime> cleared;
    std::string cleared_by;
};

struct MarkRecord {
    WallTime at;
    std::string text;
    std::string source;
};

// Every reportable record in order, as one line of the timeline.
struct TimelineItem {
    WallTime at;
    std::string event;   // the record type
    std::string detail;  // human-readable
    std::string source;  // who sent it, when known
};

struct SessionReport {
    std::string session_id;
    std::string template_id;
    std::string template_name;
    WallTime started;
    std::optional<WallTime> ended;
    bool forced_end = false;
    std::string ended_by;
    std::vector<PhaseSpan> phases;
    std::vector<InfusionEvent> infusion;
    std::vector<ReminderRecord> reminders;
    std::vector<AssistSpan> assists;
    std::vector<MarkRecord> marks;
    std::vector<TimelineItem> timeline;
    std::optional<double> minutes_in_room;                // started to ended
    std::optional<double> minutes_infusion_start_to_end;  // first infusion start to ended
    std::vector<std::string> notes;                       // open session, resumes, missing records
};

// Throws std::invalid_argument when `entries` is empty.
SessionReport build_report(const std::vector<Entry>& entries);

std::string render_csv(const SessionReport& report);
std::string render_json(const SessionReport& report);
std::string render_html(const SessionReport& report);

// "2026-03-02T09:15:00Z": how every rendered time is written.
std::string format_utc(WallTime at);

// One line of a session list, as `haven report --format json` and the panel's
// GET /api/sessions give it: {session, template, started, ended (null while open), open}.
nlohmann::json session_summary_json(const SessionSummary& summary);

}  // namespace haven::journal
