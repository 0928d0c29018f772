#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "journal_reader.hpp"
#include "json_text.hpp"
#include "report.hpp"
#include "subcommands.hpp"

namespace haven::cli {
namespace {

struct ReportOptions {
    std::string state_dir;
    std::string session;
    std::string format;
};

void list_sessions(journal::JournalReader& reader, const std::string& format) {
    auto sessions = reader.sessions();
    auto ended = [](const journal::SessionSummary& s) {
        return s.ended ? journal::format_utc(*s.ended) : std::string();
    };
    if (format == "json") {
        auto out = nlohmann::json::array();
        for (const auto& s : sessions)
            out.push_back(journal::session_summary_json(s));
        std::cout << json_text(out, 2) << "\n";
        return;
    }
    if (format == "csv") {
        std::cout << "session,template,started,ended,open\r\n";
        for (const auto& s : sessions) {
            std::cout << s.id << "," << s.template_id << "," << journal::format_utc(s.started)
                      << "," << ended(s) << "," << (s.open ? "yes" : "no") << "\r\n";
        }
        return;
    }
    if (sessions.empty()) std::cout << "no sessions in the journal\n";
    for (const auto& s : sessions) {
        std::cout << s.id << "  " << s.template_id << "  " << journal::format_utc(s.started) << "  "
                  << (s.open ? std::string("open") : "ended " + ended(s)) << "\n";
    }
}

void print_report(journal::JournalReader& reader, const ReportOptions& options) {
    auto entries = reader.entries(options.session);
    if (entries.empty()) {
        std::cerr << "haven report: no session " << options.session
                  << " in the journal (run without --session to list sessions)\n";
        throw CLI::RuntimeError(1);
    }
    auto report = journal::build_report(entries);
    const std::string& format = options.format.empty() ? "csv" : options.format;
    if (format == "json") std::cout << journal::render_json(report);
    if (format == "csv") std::cout << journal::render_csv(report);
    if (format == "html") std::cout << journal::render_html(report);
}

}  // namespace

void add_report_command(CLI::App& app) {
    auto options = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand(
        "report", "Export one session's record (csv, json or printable html), or list sessions");
    cmd->add_option("--state-dir", options->state_dir, "The room's state directory")->required();
    cmd->add_option("--session", options->session, "Session id (omit to list sessions)");
    cmd->add_option("--format", options->format, "csv (default), json or html")
        ->check(CLI::IsMember({"csv", "json", "html"}));
    cmd->footer(
        "Reads the journal without changing it. A running daemon holds the journal to itself: "
        "download reports from the panel's tech page then.");
    cmd->callback([options] {
        try {
            journal::JournalReader reader(options->state_dir);
            if (options->session.empty()) {
                list_sessions(reader, options->format);
            } else {
                print_report(reader, *options);
            }
        } catch (const CLI::RuntimeError&) {
            throw;
        } catch (const std::exception& e) {
            std::cerr << "haven report: " << e.what() << "\n";
            throw CLI::RuntimeError(2);
        }
    });
}

}  // namespace haven::cli
