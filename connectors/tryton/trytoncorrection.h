#pragma once

#include "connectors/http/httprunner.h"
#include "connectors/profile/connectionprofile.h"
#include "models/actions/correction.h"

class QThread;

namespace sightline::tryton {

class CorrectionWorker;

// Sends corrections to Tryton through its own JSON-RPC API, on a named thread
// ("sightline-connector-<name>-corrections") with its own client and session:
// - "planned_date" on a shipment (stock.shipment.out) or receipt (stock.shipment.in): write the
//   new planned date (yyyy-MM-dd); refused by Sightline for a done or cancelled one;
// - "cancel" on a shipment or receipt in draft (or, for a customer shipment, waiting).
// The document is found by its number; before and after are read from Tryton itself.
class CorrectionSender : public sightline::CorrectionSender
{
public:
    explicit CorrectionSender(QList<ConnectionProfile> profiles, HttpRunner::Settings http = {});
    ~CorrectionSender() override;

    void send(const CorrectionRequest &request, QObject *context,
              std::function<void(CorrectionResult)> done) override;

private:
    CorrectionWorker *workerFor(const QString &connection, QString &error);

    QList<ConnectionProfile> m_profiles;
    HttpRunner::Settings m_http;
    QHash<QString, std::pair<QThread *, CorrectionWorker *>> m_workers;
};

} // namespace sightline::tryton
