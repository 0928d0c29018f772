#pragma once
// The session timeline of one room: phases, infusion events, cues, reminders, assist.
// Pure and deterministic ("sans I/O"): the caller passes commands and the current time and
// gets back effects, journal records and the next time it must call advance(). Replaying the
// same (command, source, time, session id) inputs into a fresh engine rebuilds the same state,
// which is how the journal resumes a session. Not thread-safe: the control thread only.

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "engine_types.hpp"
#include "room_config.hpp"
#include "session_snapshot.hpp"

namespace haven::engine {

struct Session;

class SessionEngine {
  public:
    explicit SessionEngine(std::shared_ptr<const config::RoomConfig> config);
    ~SessionEngine();
    SessionEngine(SessionEngine&&) noexcept;
    SessionEngine& operator=(SessionEngine&&) noexcept;

    // Applies from the next session; an open session keeps the config it started with.
    void set_config(std::shared_ptr<const config::RoomConfig> config);

    // Advances to `now` first, so the outcome lists everything in time order. `start` needs
    // `new_session_id` (opaque, made and journaled by the caller). Times earlier than the
    // last one seen are treated as the last one.
    Outcome handle(const Command& command, const CommandSource& source, EngineTime now,
                   std::string_view new_session_id = {});

    // Fires everything due up to `now`, in time order.
    Outcome advance(EngineTime now);

    // When advance() next has something to do; empty when only a command can move things.
    std::optional<EngineTime> next_wake() const;

    std::optional<SessionSnapshot> snapshot(EngineTime now) const;

    // Effects that put the room where the session is (after a restart): the current scene
    // and music over reassert_fade.
    std::vector<Effect> reassert(EngineTime now) const;

    bool session_open() const;

  private:
    std::shared_ptr<const config::RoomConfig> config_;
    std::unique_ptr<Session> session_;
    std::map<std::string, EngineTime> last_accepted_cue_;  // debounce: source|cue -> time
};

}  // namespace haven::engine
