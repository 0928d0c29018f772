#include "report.hpp"

#include <ctime>
#include <stdexcept>

#include "json_text.hpp"
#include "record_type.hpp"

namespace haven::journal {
namespace {

using nlohmann::json;

std::string text_of(const json& data, const char* key) {
    if (!data.is_object() || !data.contains(key)) return {};
    const json& value = data.at(key);
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return {};
    return json_text(value);
}

int int_of(const json& data, const char* key) {
    if (!data.is_object() || !data.contains(key) || !data.at(key).is_number()) return 0;
    return data.at(key).get<int>();
}

// Sources are journaled as "kind:id" text or as {kind, id}; both read the same.
std::string source_of(const json& data) {
    if (!data.is_object() || !data.contains("source")) return {};
    const json& source = data.at("source");
    if (!source.is_object()) return text_of(data, "source");
    std::string kind = text_of(source, "kind");
    std::string id = text_of(source, "id");
    return id.empty() ? kind : kind + ":" + id;
}

double minutes_between(WallTime from, WallTime to) {
    return std::chrono::duration<double, std::ratio<60>>(to - from).count();
}

class ReportBuilder {
  public:
    explicit ReportBuilder(SessionReport& report) : r_(report) {}

    void add(const Entry& entry) {
        if (is_record(entry.type, RecordType::input))
            return;  // replay material: effects are recorded
        const json& d = entry.data;
        std::string detail = describe(entry);
        r_.timeline.push_back({entry.wall, entry.type, detail, source_of(d)});
    }

    void finish() {
        if (!r_.phases.empty() && r_.ended) r_.phases.back().end = r_.ended;
        if (r_.ended) {
            r_.minutes_in_room = minutes_between(r_.started, *r_.ended);
            for (const auto& event : r_.infusion) {
                if (event.event != "start") continue;
                r_.minutes_infusion_start_to_end = minutes_between(event.at, *r_.ended);
                break;
            }
        } else {
            r_.notes.push_back("session has not ended (still running, or the daemon stopped)");
        }
        if (resumes_ > 0) {
            r_.notes.push_back("resumed after a restart " + std::to_string(resumes_) + " time(s)");
        }
    }

  private:
    std::string describe(const Entry& entry) {
        const json& d = entry.data;
        const auto type = record_type_from(entry.type);
        if (!type) return d.is_null() ? std::string() : json_text(d);
        switch (*type) {
            case RecordType::session_started:
                r_.template_id = text_of(d, "template");
                r_.template_name = text_of(d, "template_name");
                r_.started = entry.wall;
                return "session started: " + r_.template_name + " (" + r_.template_id + ")";
            case RecordType::phase_entered:
                if (!r_.phases.empty()) r_.phases.back().end = entry.wall;
                r_.phases.push_back({text_of(d, "phase"), int_of(d, "index"), entry.wall, {}});
                return "phase " + text_of(d, "phase") + " (" +
                       std::to_string(int_of(d, "index") + 1) + " of " +
                       std::to_string(int_of(d, "count")) + ")";
            case RecordType::infusion:
                r_.infusion.push_back({text_of(d, "event"), entry.wall});
                return "infusion " + text_of(d, "event");
            case RecordType::infusion_corrected:
                return correct_infusion_start(entry);
            case RecordType::reminder_due:
                r_.reminders.push_back(
                    {text_of(d, "reminder"), text_of(d, "text"), int_of(d, "seq"), entry.wall});
                return "reminder due: " + text_of(d, "text");
            case RecordType::reminder_acknowledged:
            case RecordType::reminder_missed:
                return settle_reminder(entry, *type == RecordType::reminder_acknowledged);
            case RecordType::assist_raised:
                // Calm escalated to emergency is one span, from the first raise to the clear.
                if (r_.assists.empty() || r_.assists.back().cleared)
                    r_.assists.push_back({entry.wall, source_of(d)});
                // Records from before the two levels carry no level: they were the one level.
                return text_of(d, "level") == "emergency" ? "emergency assist raised"
                                                          : "assist raised";
            case RecordType::assist_cleared:
                if (!r_.assists.empty() && !r_.assists.back().cleared) {
                    r_.assists.back().cleared = entry.wall;
                    r_.assists.back().cleared_by = source_of(d);
                }
                return "assist cleared";
            case RecordType::mark:
                r_.marks.push_back({entry.wall, text_of(d, "text"), source_of(d)});
                return "mark: " + text_of(d, "text");
            case RecordType::cue:
                return "cue: " + text_of(d, "command");
            case RecordType::command_rejected:
                return "rejected \"" + text_of(d, "command") + "\": " + text_of(d, "reason");
            case RecordType::session_ended:
                r_.ended = entry.wall;
                r_.forced_end = d.is_object() && d.value("forced", false);
                r_.ended_by = source_of(d);
                return r_.forced_end ? "session ended (forced before minimum observation)"
                                     : "session ended";
            case RecordType::resumed:
                ++resumes_;
                return "resumed after a restart";
            case RecordType::clock_caught_up:
                return "the room's clock was set: the session moved on by the " +
                       std::to_string(d.is_object() ? d.value("down_s", 0LL) : 0LL) +
                       " s the room was off";
            case RecordType::config_reloaded:
                return "config reloaded";
            case RecordType::device_fault:
                return "device fault: " + text_of(d, "device") + ": " + text_of(d, "detail");
            case RecordType::device_recovered:
                return "device recovered: " + text_of(d, "device");
            // Written late (held in memory while the disk refused them), at their real times.
            case RecordType::journal_write_failed:
                return "journal could not be written; held in memory";
            case RecordType::journal_write_recovered:
                return "journal written again";
            default:
                return d.is_null() ? std::string() : json_text(d);
        }
    }

    // The chart gets the corrected start (the REMS minutes count from it) and a note with
    // both times, so what was tapped stays visible.
    std::string correct_infusion_start(const Entry& entry) {
        const json& d = entry.data;
        auto ago = [&](const char* key) {
            const auto ms = d.is_object() ? d.value(key, 0LL) : 0LL;
            return entry.wall -
                   std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds{ms});
        };
        const WallTime was = ago("was_ms_ago");
        const WallTime corrected = ago("corrected_ms_ago");
        for (auto& event : r_.infusion) {
            if (event.event != "start") continue;
            event.at = corrected;
            break;
        }
        std::string detail =
            "infusion start corrected from " + format_utc(was) + " to " + format_utc(corrected);
        const std::string by = source_of(d);
        r_.notes.push_back(detail + (by.empty() ? "" : " by " + by) + " at " +
                           format_utc(entry.wall));
        return detail;
    }

    std::string settle_reminder(const Entry& entry, bool acknowledged) {
        const json& d = entry.data;
        std::string id = text_of(d, "reminder");
        for (auto it = r_.reminders.rbegin(); it != r_.reminders.rend(); ++it) {
            if (it->reminder != id || it->seq != int_of(d, "seq")) continue;
            if (acknowledged) {
                it->acknowledged = entry.wall;
                it->acknowledged_by = source_of(d);
            } else {
                it->missed = entry.wall;
            }
            return (acknowledged ? "reminder acknowledged: " : "reminder missed: ") + it->text;
        }
        r_.notes.push_back("reminder " + id + " settled without a recorded due time");
        return (acknowledged ? "reminder acknowledged: " : "reminder missed: ") + id;
    }

    SessionReport& r_;
    int resumes_ = 0;
};

}  // namespace

SessionReport build_report(const std::vector<Entry>& entries) {
    if (entries.empty()) throw std::invalid_argument("the session has no journal entries");
    SessionReport report;
    report.session_id = entries.front().session_id;
    report.started = entries.front().wall;
    bool has_start = false;
    ReportBuilder builder(report);
    for (const auto& entry : entries) {
        has_start = has_start || is_record(entry.type, RecordType::session_started);
        builder.add(entry);
    }
    if (!has_start) {
        report.notes.push_back(
            "the session_started record is missing; times start at the "
            "first record found");
    }
    builder.finish();
    return report;
}

nlohmann::json session_summary_json(const SessionSummary& summary) {
    return {{"session", summary.id},
            {"template", summary.template_id},
            {"started", format_utc(summary.started)},
            {"ended", summary.ended ? nlohmann::json(format_utc(*summary.ended)) : nullptr},
            {"open", summary.open}};
}

std::string format_utc(WallTime at) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace haven::journal
