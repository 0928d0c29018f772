// What the session report derives from the journal, one rule per test.
#include "report.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "journal_test_support.hpp"
#include "report_sample.hpp"

namespace haven::journal {
namespace {

using nlohmann::json;
using testing::make_entry;

WallTime at(int offset_s) {
    return make_entry("", "", {}, offset_s).wall;
}

std::vector<Entry> started_at_zero() {
    return {make_entry("s", "session_started", {{"template", "iv"}, {"template_name", "IV"}}, 0)};
}

TEST(Report, RefusesAnEmptySession) {
    EXPECT_THROW(build_report({}), std::invalid_argument);
}

TEST(Report, SampleSessionTotalsForTheChart) {
    auto r = build_report(testing::sample_iv_session());
    EXPECT_EQ(r.session_id, "7f3a9c2e");
    EXPECT_EQ(r.template_id, "iv-ketamine");
    ASSERT_TRUE(r.minutes_in_room);
    EXPECT_DOUBLE_EQ(*r.minutes_in_room, 5430.0 / 60);
    ASSERT_TRUE(r.minutes_infusion_start_to_end);
    EXPECT_DOUBLE_EQ(*r.minutes_infusion_start_to_end, (5430.0 - 610) / 60);
    EXPECT_EQ(r.infusion.size(), 4u);
    EXPECT_EQ(r.marks.size(), 2u);
    EXPECT_EQ(r.notes, std::vector<std::string>{"resumed after a restart 1 time(s)"});
}

TEST(Report, PhasesEndWhenTheNextBeginsAndTheLastAtSessionEnd) {
    auto entries = started_at_zero();
    entries.push_back(make_entry("s", "phase_entered", {{"phase", "arrival"}, {"index", 0}}, 0));
    entries.push_back(make_entry("s", "phase_entered", {{"phase", "peak"}, {"index", 1}}, 300));
    entries.push_back(make_entry("s", "session_ended", {{"forced", true}, {"source", "cli"}}, 900));
    auto r = build_report(entries);
    ASSERT_EQ(r.phases.size(), 2u);
    EXPECT_EQ(r.phases[0].end, at(300));
    EXPECT_EQ(r.phases[1].start, at(300));
    EXPECT_EQ(r.phases[1].end, at(900));
    EXPECT_TRUE(r.forced_end);
    EXPECT_EQ(r.ended_by, "cli");
}

TEST(Report, OpenSessionHasNoTotalsAndSaysSo) {
    auto entries = started_at_zero();
    entries.push_back(make_entry("s", "phase_entered", {{"phase", "arrival"}, {"index", 0}}, 0));
    entries.push_back(make_entry("s", "infusion", {{"event", "start"}}, 60));
    auto r = build_report(entries);
    EXPECT_FALSE(r.ended);
    EXPECT_FALSE(r.phases.back().end);
    EXPECT_FALSE(r.minutes_in_room);
    EXPECT_FALSE(r.minutes_infusion_start_to_end);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("has not ended"), std::string::npos);
}

TEST(Report, CalmEscalatedToEmergencyIsOneAssistSpanAndTheTimelineNamesTheLevel) {
    auto entries = started_at_zero();
    entries.push_back(
        make_entry("s", "assist_raised", {{"level", "calm"}, {"source", "button:b"}}, 60));
    entries.push_back(
        make_entry("s", "assist_raised", {{"level", "emergency"}, {"source", "panel:t"}}, 90));
    entries.push_back(
        make_entry("s", "assist_cleared", {{"level", "emergency"}, {"source", "panel:t"}}, 300));
    const auto r = build_report(entries);
    ASSERT_EQ(r.assists.size(), 1u);
    EXPECT_EQ(r.assists[0].raised, at(60));
    EXPECT_EQ(r.assists[0].raised_by, "button:b");
    EXPECT_EQ(r.assists[0].cleared, at(300));
    std::vector<std::string> texts;
    for (const auto& item : r.timeline)
        texts.push_back(item.detail);
    EXPECT_NE(std::find(texts.begin(), texts.end(), "assist raised"), texts.end());
    EXPECT_NE(std::find(texts.begin(), texts.end(), "emergency assist raised"), texts.end());
}

TEST(Report, InfusionMinutesCountFromTheFirstStart) {
    auto entries = started_at_zero();
    entries.push_back(make_entry("s", "infusion", {{"event", "start"}}, 120));
    entries.push_back(make_entry("s", "infusion", {{"event", "stop"}}, 600));
    entries.push_back(make_entry("s", "infusion", {{"event", "start"}}, 700));
    entries.push_back(make_entry("s", "session_ended", json::object(), 1320));
    EXPECT_DOUBLE_EQ(*build_report(entries).minutes_infusion_start_to_end, 20.0);
}

TEST(Report, ACorrectedInfusionStartCountsFromTheCorrectionAndNotesBothTimes) {
    auto entries = started_at_zero();
    entries.push_back(make_entry("s", "infusion", {{"event", "start"}}, 600));
    entries.push_back(make_entry("s", "infusion_corrected",
                                 {{"event", "infusion_start"},
                                  {"was_ms_ago", 120000},
                                  {"corrected_ms_ago", 300000},
                                  {"source", "panel:tech"}},
                                 720));
    entries.push_back(make_entry("s", "session_ended", json::object(), 2820));
    const auto r = build_report(entries);
    ASSERT_EQ(r.infusion.size(), 1u);
    EXPECT_EQ(r.infusion[0].at, at(420));
    EXPECT_DOUBLE_EQ(*r.minutes_infusion_start_to_end, 40.0);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0], "infusion start corrected from " + format_utc(at(600)) + " to " +
                              format_utc(at(420)) + " by panel:tech at " + format_utc(at(720)));
    EXPECT_NE(render_html(r).find(r.notes[0]), std::string::npos);
}

TEST(Report, RemindersMatchAcknowledgementsBySequence) {
    auto entries = started_at_zero();
    for (int seq : {1, 2}) {
        entries.push_back(make_entry(
            "s", "reminder_due", {{"reminder", "bp"}, {"text", "BP"}, {"seq", seq}}, seq * 100));
    }
    entries.push_back(make_entry("s", "reminder_missed", {{"reminder", "bp"}, {"seq", 1}}, 250));
    entries.push_back(make_entry("s", "reminder_acknowledged",
                                 {{"reminder", "bp"}, {"seq", 2}, {"source", "panel"}}, 260));
    auto r = build_report(entries);
    ASSERT_EQ(r.reminders.size(), 2u);
    EXPECT_EQ(r.reminders[0].missed, at(250));
    EXPECT_FALSE(r.reminders[0].acknowledged);
    EXPECT_EQ(r.reminders[1].acknowledged, at(260));
    EXPECT_EQ(r.reminders[1].acknowledged_by, "panel");
    EXPECT_FALSE(r.reminders[1].missed);
}

TEST(Report, InputsAreReplayMaterialNotTimeline) {
    auto entries = started_at_zero();
    entries.push_back(make_entry("s", "input", {{"command", "next"}}, 10));
    auto r = build_report(entries);
    ASSERT_EQ(r.timeline.size(), 1u);
    EXPECT_EQ(r.timeline[0].event, "session_started");
}

TEST(Report, MissingStartIsNotedAndTimesStartAtTheFirstRecord) {
    auto r = build_report({make_entry("s", "mark", {{"text", "x"}}, 30)});
    EXPECT_EQ(r.started, at(30));
    EXPECT_NE(r.notes[0].find("session_started record is missing"), std::string::npos);
}

TEST(Report, HtmlEscapesRecordedText) {
    auto entries = started_at_zero();
    entries.push_back(make_entry("s", "mark", {{"text", "<script>alert('x')</script>"}}, 10));
    std::string html = render_html(build_report(entries));
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
}

TEST(Report, CsvQuotesAndDefusesFormulas) {
    auto entries = started_at_zero();
    entries.push_back(make_entry("s", "mark", {{"text", "x"}, {"source", "=HYPERLINK(1)"}}, 10));
    entries.push_back(make_entry("s", "mark", {{"text", "a, \"b\""}}, 20));
    std::string csv = render_csv(build_report(entries));
    EXPECT_NE(csv.find(",mark,mark: x,'=HYPERLINK(1)\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",mark,\"mark: a, \"\"b\"\"\","), std::string::npos) << csv;
}

TEST(Report, JsonUsesNullForWhatHasNotHappened) {
    auto r = build_report(started_at_zero());
    auto j = json::parse(render_json(r));
    EXPECT_TRUE(j.at("ended").is_null());
    EXPECT_TRUE(j.at("minutes_in_room").is_null());
    EXPECT_EQ(j.at("started"), "2026-03-02T09:00:00Z");
}

TEST(Report, FormatsUtcTimes) {
    EXPECT_EQ(format_utc(at(3 * 3600 + 61)), "2026-03-02T12:01:01Z");
}

}  // namespace
}  // namespace haven::journal
