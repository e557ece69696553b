// /_emulator/* endpoints (health, stats, faults, revoke-tokens), served without auth on every
// listener so tests can reach them whichever URL they hold.
#pragma once

#include <httplib.h>

#include "app.h"

namespace azkv::emu {

// Returns false when the path is not a control endpoint.
bool handle_control(App& app, const httplib::Request& req, httplib::Response& res);

}  // namespace azkv::emu
