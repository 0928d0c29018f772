// The command pipeline without a broker, a disk or a thread: ports record what reaches the
// room, the journal and the world, and the test decides when the journal is durable.
#include "command_pipeline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "ketamine_room.hpp"

namespace haven::daemon {
namespace {

using engine::testing::cue;
using engine::testing::panel;
using engine::testing::shared_room;

struct Append {
    std::vector<journal::Entry> entries;
    OnDurable on_durable;
};

struct Reply {
    bool ok = false;
    std::string reason;
};

class CommandPipelineTest : public ::testing::Test {
  protected:
    CommandPipeline::Ports ports() {
        return {.apply =
                    [this](const std::vector<engine::Effect>& effects) {
                        log.push_back("apply");
                        applied.insert(applied.end(), effects.begin(), effects.end());
                    },
                .append =
                    [this](std::vector<journal::Entry> entries, OnDurable on_durable) {
                        log.push_back("append");
                        appends.push_back({std::move(entries), std::move(on_durable)});
                    },
                .publish_event =
                    [this](nlohmann::json event) {
                        log.push_back("event");
                        events.push_back(std::move(event));
                    },
                .state_changed = [this] { ++state_changes; },
                .session_ended = [this] { ++sessions_ended; }};
    }

    // Every append so far becomes durable (or fails), in order, as the journal's writer would.
    void settle(bool ok = true) {
        for (auto& append : appends)
            if (append.on_durable) std::exchange(append.on_durable, {})(ok);
    }

    std::function<void(bool, std::string)> keep_reply() {
        return [this](bool ok, std::string reason) {
            log.push_back("reply");
            replies.push_back({ok, std::move(reason)});
        };
    }

    std::vector<std::string> types_journaled() const {
        std::vector<std::string> types;
        for (const auto& append : appends)
            for (const auto& entry : append.entries)
                types.push_back(entry.type);
        return types;
    }

    boost::asio::io_context io;  // never run: the next wake's timer just waits
    ClockWatch clock{1.0};
    std::vector<std::string> log;
    std::vector<engine::Effect> applied;
    std::vector<Append> appends;
    std::vector<nlohmann::json> events;
    std::vector<Reply> replies;
    int state_changes = 0;
    int sessions_ended = 0;
    CommandPipeline pipeline{io, shared_room(), clock, ports()};
};

TEST_F(CommandPipelineTest, TheRoomChangesFirstAndTheSenderHearsOnlyOnceItIsDurable) {
    pipeline.submit(cue("start iv-ketamine"), panel, keep_reply());
    ASSERT_EQ(log, (std::vector<std::string>{"apply", "append"}));
    EXPECT_FALSE(applied.empty()) << "the welcome scene and arrival music";
    EXPECT_TRUE(replies.empty()) << "nothing is acknowledged before the journal is durable";
    EXPECT_TRUE(events.empty());

    settle();
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_TRUE(replies[0].ok);
    EXPECT_EQ(log.back(), "reply") << "events first, then the reply";
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front()["type"], "session_started");
    EXPECT_EQ(events.front()["session"], pipeline.session_id());
    EXPECT_GE(state_changes, 1);
}

TEST_F(CommandPipelineTest, AnInputAndItsRecordsShareOneCommitUnderTheNewSession) {
    pipeline.submit(cue("start iv-ketamine"), panel);
    ASSERT_EQ(appends.size(), 1U);
    const auto& entries = appends[0].entries;
    ASSERT_GE(entries.size(), 2U);
    EXPECT_EQ(entries[0].type, "input");
    EXPECT_EQ(entries[0].data["command"], "start iv-ketamine");
    EXPECT_EQ(entries[0].data["source_kind"], "panel");
    const auto id = pipeline.session_id();
    ASSERT_EQ(id.size(), 16U);
    for (const auto& entry : entries)
        EXPECT_EQ(entry.session_id, id) << entry.type;
    EXPECT_EQ(entries[0].data["session_id"], id);
}

TEST_F(CommandPipelineTest, ARefusedCommandIsJournaledAndRepliedWithItsReason) {
    pipeline.submit(cue("infusion_start"), panel, keep_reply());  // no session yet
    EXPECT_EQ(types_journaled(), std::vector<std::string>{"command_rejected"});
    settle();
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_FALSE(replies[0].ok);
    EXPECT_FALSE(replies[0].reason.empty());
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0]["type"], "command_rejected");
    EXPECT_TRUE(pipeline.session_id().empty());
}

TEST_F(CommandPipelineTest, AJournalThatCannotWriteIsToldToTheSenderAfterTheRoomChanged) {
    pipeline.submit(cue("start iv-ketamine"), panel);
    settle();
    log.clear();
    pipeline.submit(cue("assist"), panel, keep_reply());
    EXPECT_EQ(log, (std::vector<std::string>{"apply", "append"}));
    settle(false);
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_FALSE(replies[0].ok);
    EXPECT_NE(replies[0].reason.find("done in the room"), std::string::npos) << replies[0].reason;
}

TEST_F(CommandPipelineTest, AMarkIsJournaledWithItsTextAndAnnouncedWithout) {
    pipeline.submit(cue("start iv-ketamine"), panel);
    settle();
    events.clear();
    pipeline.submit(cue("mark patient asked for a blanket"), panel);
    settle();
    bool journaled_text = false;
    for (const auto& entry : appends.back().entries)
        if (entry.type == "mark")
            journaled_text = entry.data["text"] == "patient asked for a blanket";
    EXPECT_TRUE(journaled_text);
    ASSERT_FALSE(events.empty());
    for (const auto& event : events) {
        EXPECT_FALSE(event.contains("text")) << event.dump();
        EXPECT_EQ(event.dump().find("blanket"), std::string::npos) << event.dump();
    }
}

TEST_F(CommandPipelineTest, EndingTheSessionClearsItAndSaysSo) {
    pipeline.submit(cue("start iv-ketamine"), panel);
    pipeline.submit(cue("end force"), panel);
    EXPECT_TRUE(pipeline.session_id().empty());
    EXPECT_EQ(sessions_ended, 1);
    auto types = types_journaled();
    EXPECT_NE(std::find(types.begin(), types.end(), "session_ended"), types.end());
}

TEST_F(CommandPipelineTest, ACommandThatNeverReachedTheEngineIsAnnouncedNotJournaled) {
    pipeline.refuse("marksecret note", "unknown command", "mqtt");
    EXPECT_TRUE(appends.empty());
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0]["type"], "command_rejected");
    EXPECT_EQ(events[0]["command"], "mark") << "a note in the name never leaves the room";
    EXPECT_EQ(events[0]["reason"], "unknown command");
    EXPECT_EQ(events[0]["source"], "mqtt");
}

TEST_F(CommandPipelineTest, ARoomRecordIsJournaledUnderTheOpenSessionAndAnnouncedAtOnce) {
    pipeline.submit(cue("start iv-ketamine"), panel);
    events.clear();
    pipeline.record_room(RecordType::device_fault, {{"device", "light:lamp"}});
    ASSERT_EQ(appends.back().entries.size(), 1U);
    EXPECT_EQ(appends.back().entries[0].type, "device_fault");
    EXPECT_EQ(appends.back().entries[0].session_id, pipeline.session_id());
    ASSERT_EQ(events.size(), 1U) << "announced without waiting for the disk";
    EXPECT_EQ(events[0]["type"], "device_fault");
    EXPECT_EQ(events[0]["device"], "light:lamp");
}

// The fold itself is RefusalLog's and RepeatFolder's (tested there); here: a refusal the
// fold holds back is neither journaled nor logged, yet its sender still hears why at once.
TEST_F(CommandPipelineTest, ARepeatedRefusalIsCountedNotJournaledAndStillAnswered) {
    std::vector<std::pair<std::string, std::string>> asked;
    auto folding = ports();
    folding.refusal_in_full = [&](std::string_view source, std::string_view kind) {
        asked.emplace_back(source, kind);
        return asked.size() == 1;  // the first in full, then repeats
    };
    CommandPipeline folded{io, shared_room(), clock, folding};
    folded.submit(cue("infusion_start"), panel, keep_reply());  // no session: refused
    settle();
    ASSERT_EQ(types_journaled(), std::vector<std::string>{"command_rejected"});
    for (int i = 0; i < 100; ++i)
        folded.submit(cue("infusion_start"), panel, keep_reply());
    EXPECT_EQ(types_journaled(), std::vector<std::string>{"command_rejected"})
        << "repeats are counted for the minute's summary row, not journaled one by one";
    ASSERT_EQ(replies.size(), 101U);
    EXPECT_FALSE(replies.back().ok);
    EXPECT_EQ(replies.back().reason, replies.front().reason);
    ASSERT_EQ(events.size(), 101U);
    EXPECT_EQ(events.back()["type"], "command_rejected");
    EXPECT_EQ(asked.front(),
              (std::pair<std::string, std::string>{"panel:therapist", "refused infusion_start"}));

    // Accepted commands are never folded, whatever came before.
    folded.submit(cue("start iv-ketamine"), panel);
    EXPECT_EQ(asked.size(), 101U);
    EXPECT_EQ(appends.size(), 2U);
}

TEST_F(CommandPipelineTest, InventedCommandNamesAreOneKindForTheFold) {
    std::vector<std::string> kinds;
    auto folding = ports();
    folding.refusal_in_full = [&](std::string_view, std::string_view kind) {
        kinds.emplace_back(kind);
        return true;
    };
    CommandPipeline folded{io, shared_room(), clock, folding};
    folded.refuse("no-such-1", "unknown command 'no-such-1'", "mqtt");
    folded.refuse("no-such-2", "unknown command 'no-such-2'", "mqtt");
    folded.refuse("volume", "volume must be a number", "mqtt");
    EXPECT_EQ(kinds, (std::vector<std::string>{"malformed unknown command",
                                               "malformed unknown command", "malformed volume"}));
}

}  // namespace
}  // namespace haven::daemon
