#include "control.h"

#include "errors.h"
#include "http_util.h"
#include "ids.h"

namespace azkv::emu {

bool handle_control(App& app, const httplib::Request& req, httplib::Response& res) {
    std::string path = to_lower(req.path);
    if (path.rfind("/_emulator/", 0) != 0)
        return false;
    if (path.size() > 1 && path.back() == '/')
        path.pop_back();
    const std::string& m = req.method;
    try {
        if (path == "/_emulator/health" && m == "GET") {
            reply_json(res, 200, {{"status", "ok"}});
        } else if (path == "/_emulator/stats" && m == "GET") {
            reply_json(res, 200, app.stats.to_json());
        } else if (path == "/_emulator/stats/reset" && m == "POST") {
            app.stats.reset();
            reply_json(res, 200, app.stats.to_json());
        } else if (path == "/_emulator/faults" && m == "GET") {
            reply_json(res, 200, app.faults.to_json());
        } else if (path == "/_emulator/faults" && m == "POST") {
            auto j = nlohmann::json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
            if (j.is_discarded())
                bad_parameter("faults: body is not valid JSON");
            app.faults.merge(j);
            reply_json(res, 200, app.faults.to_json());
        } else if (path == "/_emulator/faults" && m == "DELETE") {
            app.faults.reset();
            reply_json(res, 200, app.faults.to_json());
        } else if (path == "/_emulator/revoke-tokens" && m == "POST") {
            app.tokens.revoke_all();
            reply_json(res, 200, {{"revoked", true}});
        } else {
            reply_json(res, 404,
                       ApiError(404, "NotFound", "unknown control endpoint " + req.path).body());
        }
    } catch (const ApiError& e) {
        reply_json(res, e.status, e.body());
    }
    return true;
}

}  // namespace azkv::emu
