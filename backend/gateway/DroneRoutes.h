// /api/drones: the fleet as the Drone service reports it.
#pragma once

#include "backend/gateway/HttpChecks.h"
#include "backend/gateway/MeshForwarder.h"

#include <QHttpServer>

namespace dd::backend {

class DroneRoutes
{
public:
    DroneRoutes(const HttpChecks &checks, MeshForwarder &forwarder);

    /// GET /api/drones?limit=&after= (paged by drone id) and GET /api/drones/{id}.
    void install(QHttpServer &server);

private:
    const HttpChecks &m_checks;
    MeshForwarder &m_forwarder;
};

} // namespace dd::backend
