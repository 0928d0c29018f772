#pragma once
// What the disk-full and read-only drills both check once the state directory takes writes
// again and the daemon has stopped cleanly: the journal passes SQLite's integrity check, the
// outage's edges and the commands made during it are all in the session's report, in order,
// and the session resumes from the journal.

#include <string>

#include "room_under_test.hpp"

namespace haven::test {

void expect_outage_recorded_and_session_resumes(RoomUnderTest& room, const std::string& id);

}  // namespace haven::test
