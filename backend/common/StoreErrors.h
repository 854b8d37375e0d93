// How a service answers when its store fails: busy or locked may pass (TRANSIENT), anything else will not (FATAL).
#pragma once

#include "backend/common/SqliteDb.h"
#include "net/rpc/RpcServer.h"

#include <string>
#include <string_view>

namespace dd::backend {

inline void answerStoreError(net::Responder &responder, const SqliteError &error, std::string_view store)
{
    responder.fail(error.transient() ? dronedelivery::v1::TRANSIENT : dronedelivery::v1::FATAL,
                   std::string(store) + " store: " + error.what());
}

} // namespace dd::backend
