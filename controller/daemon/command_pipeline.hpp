#pragma once
// Where a command becomes an event. Every command, whoever sent it (panel, button, MQTT, a
// resume's replay), and every wake of the session timeline takes one path:
//   engine decides -> its effects reach the room at once (assist cannot wait for a disk) ->
//   its input and records are journaled in one commit -> once durable, its events go out
//   and the sender hears "ok" (an event is an acknowledgement that survives a crash).
// Owns the session engine and the timer of its next wake. Control thread only; the room,
// the journal and the broadcaster are reached through Ports, so it is tested without them.

#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clock_watch.hpp"
#include "command.hpp"
#include "entry.hpp"
#include "record_type.hpp"
#include "session_engine.hpp"

namespace haven::daemon {

using Reply = std::function<void(bool ok, std::string reason)>;
using OnDurable = std::function<void(bool ok)>;

class CommandPipeline {
  public:
    struct Ports {
        std::function<void(const std::vector<engine::Effect>&)> apply;       // to the room, now
        std::function<void(std::vector<journal::Entry>, OnDurable)> append;  // one commit
        std::function<void(nlohmann::json)> publish_event;
        std::function<void()> state_changed;
        std::function<void()> session_ended;
        // Whether a refusal is logged and journaled in full (the first of its kind from its
        // source this minute) or only counted (RefusalLog). Empty: always in full.
        std::function<bool(std::string_view source, std::string_view kind)> refusal_in_full;
    };

    CommandPipeline(boost::asio::io_context& io, std::shared_ptr<const config::RoomConfig> config,
                    ClockWatch& clock, Ports ports);

    // A command from anyone. `reply` (may be empty) hears the outcome once it is durable.
    void submit(const Command& command, const CommandSource& source, Reply reply = {});
    // A command that never reached the engine (malformed, too large): an event saying why.
    void refuse(std::string_view command_name, const std::string& reason, std::string_view source);
    // An outcome the engine produced outside submit() (a resume's catch-up, a set clock):
    // its effects, then its records.
    void apply_and_record(const engine::Outcome& outcome, const std::string& session);
    // An outcome whose effects are already in the room: journal, events once durable, state,
    // next wake.
    void record(const engine::Outcome& outcome, const std::string& session,
                OnDurable on_durable = {}, std::optional<journal::Entry> input = std::nullopt);
    // Something about the room rather than the session (a device fault, a reload): journaled
    // under the open session, and announced at once.
    void record_room(RecordType type, nlohmann::json data);
    // Records due now on the session timeline (the clock moved on by a counted gap).
    void advance();

    engine::SessionEngine& engine() { return engine_; }
    const engine::SessionEngine& engine() const { return engine_; }
    const std::string& session_id() const { return session_id_; }
    // After a resume has replayed the journal into the engine.
    void resumed(std::string session_id);
    void stop() { wake_timer_.cancel(); }

  private:
    bool refusal_in_full(std::string_view source, std::string_view kind) const;
    void journal(const engine::Outcome& outcome, const std::string& session, OnDurable on_durable,
                 std::optional<journal::Entry> input);
    void schedule_wake();

    engine::SessionEngine engine_;
    ClockWatch& clock_;
    Ports ports_;
    boost::asio::steady_timer wake_timer_;
    std::string session_id_;  // of the open session, empty when idle
};

}  // namespace haven::daemon
