#pragma once
// The JSON API under /api/. Every handler answers through `respond` exactly once; command
// answers wait for the room's reply (the journal is durable) before they are sent.
// Internal header; loop thread only.

#include <memory>

#include "http_types.hpp"
#include "server_context.hpp"

namespace haven::panel {

void handle_api(const std::shared_ptr<ServerContext>& context, const Request& request,
                const Client& client, Respond respond);

}  // namespace haven::panel
