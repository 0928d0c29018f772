#pragma once
// A realistic IV ketamine session's journal, the input of the report golden tests.

#include <vector>

#include "entry.hpp"

namespace haven::journal::testing {

std::vector<Entry> sample_iv_session();

}  // namespace haven::journal::testing
