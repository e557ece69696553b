// Managed-identity and workload-identity token endpoints (contract "Identity endpoints"):
// IMDS, App Service (2019-08-01), Azure Arc (Basic-realm secret file) and the Entra v2
// client_assertion exchange. Served on the plain-HTTP identity listener and the HTTPS STS one.
#pragma once

#include <httplib.h>

#include "app.h"

namespace azkv::emu {

// Writes the workload federated-token file and the Arc token dir; call once at start.
void prepare_identity_state(App& app);
void handle_identity_request(App& app, const httplib::Request& req, httplib::Response& res);

}  // namespace azkv::emu
