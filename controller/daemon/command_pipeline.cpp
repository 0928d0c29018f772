#include "command_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <random>

#include "boot_clock.hpp"
#include "note_redaction.hpp"
#include "refusal_log.hpp"

namespace haven::daemon {
namespace {

// Opaque, unguessable, and unrelated to the patient: 16 hex digits.
std::string new_session_id() {
    std::random_device entropy;
    std::uniform_int_distribution<unsigned> nibble(0, 15);
    std::string id;
    for (int i = 0; i < 16; ++i)
        id += "0123456789abcdef"[nibble(entropy)];
    return id;
}

std::string source_label(const CommandSource& source) {
    std::string label{to_string(source.kind)};
    return source.id.empty() ? label : label + ":" + source.id;
}

journal::Entry input_entry(const Command& command, const CommandSource& source,
                           const std::string& session, Millis now) {
    nlohmann::json data{{"command", format_cue(command)},
                        {"source_kind", std::string{to_string(source.kind)}},
                        {"source_id", source.id}};
    if (command.kind == CommandKind::start) data["session_id"] = session;
    return journal::Entry{.session_id = session,
                          .type = std::string{to_string(RecordType::input)},
                          .data = std::move(data),
                          .wall = std::chrono::system_clock::now(),
                          .monotonic_ms = now.count()};
}

// An absolute correction time becomes "this long before now" here, where the wall clock is:
// the engine has none, and the journaled input then replays to the same moment.
Command on_engine_time(Command command, const ClockWatch& clock) {
    if (!command.wall_at) return command;
    const auto real_ago =
        std::chrono::duration_cast<Millis>(std::chrono::system_clock::now() - *command.wall_at);
    command.duration = -clock.engine_duration(real_ago);
    command.wall_at.reset();
    return command;
}

}  // namespace

CommandPipeline::CommandPipeline(boost::asio::io_context& io,
                                 std::shared_ptr<const config::RoomConfig> config,
                                 ClockWatch& clock, Ports ports)
    : engine_(std::move(config)), clock_(clock), ports_(std::move(ports)), wake_timer_(io) {}

void CommandPipeline::submit(const Command& submitted, const CommandSource& source, Reply reply) {
    const Command command = on_engine_time(submitted, clock_);
    const bool starts = command.kind == CommandKind::start;
    const std::string new_id = starts ? new_session_id() : "";
    const auto now = clock_.engine_now();
    auto outcome = engine_.handle(command, source, now, new_id);
    // The room first: a cue's light command leaves before anything is logged or journaled.
    ports_.apply(outcome.effects);

    const std::string session = outcome.accepted && starts ? new_id : session_id_;
    std::optional<journal::Entry> input;
    if (outcome.accepted) {
        input = input_entry(command, source, session, now);
        spdlog::info("{} from {}", to_string(command.kind), source_label(source));
    } else if (refusal_in_full(source_label(source), std::string{RefusalLog::refused_prefix} +
                                                         std::string{to_string(command.kind)})) {
        spdlog::warn("{} from {} refused: {}", to_string(command.kind), source_label(source),
                     outcome.reason);
    } else {
        // A repeat within the minute: counted, not written (the minute's summary row says
        // how many). The sender still hears why, at once; nothing changed, so no state.
        for (const auto& record : outcome.records) {
            auto event = public_event(record.data);
            if (!session.empty()) event["session"] = session;
            ports_.publish_event(std::move(event));
        }
        if (reply) reply(false, outcome.reason);
        return;
    }
    OnDurable on_durable;
    if (reply) {
        on_durable = [reply, accepted = outcome.accepted, reason = outcome.reason](bool ok) {
            // The room has already changed; say so, or the therapist would press again.
            if (!ok)
                reply(false,
                      "done in the room, but the session journal cannot be written (see the "
                      "alarm); the record is held in memory until the disk takes it");
            else
                reply(accepted, accepted ? "" : reason);
        };
    }
    if (outcome.accepted && starts) session_id_ = new_id;
    record(outcome, session, std::move(on_durable), std::move(input));
}

void CommandPipeline::refuse(std::string_view command_name, const std::string& reason,
                             std::string_view source) {
    const auto name = public_command_name(command_name);
    // Unknown names are one kind, so a spray of invented names cannot open a window each.
    const bool known = command_kind_from(name).has_value();
    if (refusal_in_full(source, "malformed " + (known ? name : std::string{"unknown command"})))
        spdlog::warn("{}: command '{}' refused: {}", source, name, reason);
    ports_.publish_event({{"type", to_string(RecordType::command_rejected)},
                          {"command", name},
                          {"reason", reason},
                          {"source", source}});
}

bool CommandPipeline::refusal_in_full(std::string_view source, std::string_view kind) const {
    return !ports_.refusal_in_full || ports_.refusal_in_full(source, kind);
}

void CommandPipeline::apply_and_record(const engine::Outcome& outcome, const std::string& session) {
    ports_.apply(outcome.effects);
    record(outcome, session);
}

void CommandPipeline::record(const engine::Outcome& outcome, const std::string& session,
                             OnDurable on_durable, std::optional<journal::Entry> input) {
    std::vector<nlohmann::json> events;
    for (const auto& record : outcome.records) {
        auto event = public_event(record.data);
        if (!session.empty()) event["session"] = session;
        events.push_back(std::move(event));
        if (record.type() == RecordType::session_ended) {
            session_id_.clear();
            ports_.session_ended();
        }
    }
    journal(
        outcome, session,
        [this, events = std::move(events), on_durable = std::move(on_durable)](bool ok) {
            for (const auto& event : events)
                ports_.publish_event(event);
            if (on_durable) on_durable(ok);
        },
        std::move(input));
    ports_.state_changed();
    schedule_wake();
}

// One append: the input and the records it caused share one commit (one fsync), and
// on_durable follows the last of them. The input goes first: replaying inputs rebuilds the
// records that follow it.
void CommandPipeline::journal(const engine::Outcome& outcome, const std::string& session,
                              OnDurable on_durable, std::optional<journal::Entry> input) {
    // A record's wall time is when it was due, not when it was written: a phase that ended
    // while Haven was down, or while the loop was busy, is charted at its real moment. Its
    // boot stamp too: a resume adds the boot clock's time since the last record to that
    // record's engine time, so the two must name the same moment.
    const auto wall_now = std::chrono::system_clock::now();
    const auto boot_now = journal::boot_stamp_now();
    const auto engine_at_write = clock_.engine_now();
    auto real_ago = [&](Millis at) {
        return clock_.real_duration(std::max(engine_at_write - at, Millis{0}));
    };
    std::vector<journal::Entry> entries;
    entries.reserve(outcome.records.size() + 1);
    if (input) entries.push_back(std::move(*input));
    for (const auto& record : outcome.records) {
        entries.push_back(journal::Entry{
            .session_id = session,
            .type = record.data.value("type", "record"),
            .data = record.data,
            .wall = wall_now - real_ago(record.at),
            .monotonic_ms = record.at.count(),
            .boot = journal::BootStamp{.boot_id = boot_now.boot_id,
                                       .ms = boot_now.ms - real_ago(record.at).count()}});
    }
    ports_.append(std::move(entries), std::move(on_durable));  // none: durable at once
}

void CommandPipeline::record_room(RecordType type, nlohmann::json data) {
    const std::string name{to_string(type)};
    ports_.append({journal::Entry{.session_id = session_id_,
                                  .type = name,
                                  .data = data,
                                  .wall = std::chrono::system_clock::now(),
                                  .monotonic_ms = clock_.engine_now().count()}},
                  {});
    data["type"] = name;
    ports_.publish_event(std::move(data));
}

void CommandPipeline::advance() {
    const std::string session = session_id_;
    apply_and_record(engine_.advance(clock_.engine_now()), session);
}

void CommandPipeline::resumed(std::string session_id) {
    session_id_ = std::move(session_id);
}

void CommandPipeline::schedule_wake() {
    auto wake = engine_.next_wake();
    wake_timer_.cancel();
    if (!wake) return;
    wake_timer_.expires_at(clock_.steady_at(*wake));
    wake_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) advance();
    });
}

}  // namespace haven::daemon
