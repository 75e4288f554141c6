#pragma once

#include "connectors/tryton/trytonvalues.h"
#include "models/ingest/cloudevents.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

namespace sightline::tryton {

// One Tryton model the connector polls, with the fields it reads.
struct PolledModel
{
    QString model; // "sale.sale"
    QStringList fields;
};

// In the order they are polled: purchases and their receipts, sales and their shipments, then
// the stock moves that link them.
const QList<PolledModel> &polledModels();

// Maps one page of search_read records of a model onto canonical events (README, "Tryton"):
// each record gives an event per state it is seen in (sale.sale/7/processing), sales and purchases
// also one for their creation, and a stock move that joins a shipment to a sale or a purchase a
// link between them. Every event keeps its record's exact bytes (cut from body at resultSpan).
// A record that cannot be mapped (no id, an unknown state, a date that is not a datetime) is
// quarantined with the reason; drafts without a number are not business documents yet and are
// skipped. newest is the latest write (or create) date seen, as ISO text with microseconds, and
// newestIds the records changed at that instant. A record changed at before.since whose id is in
// before.readAtSince was read by the previous poll (which reads from since inclusive): it is left out.
struct PageMapping
{
    ParsedInput input;
    QString newest;
    QList<qint64> newestIds;
    int records = 0;   // in the answer
    int skipped = 0;   // not business documents (drafts without a number, internal moves)
    int unchanged = 0; // read by the previous poll already
};
struct ReadBefore
{
    QString since;
    QList<qint64> readAtSince;
};
PageMapping mapRecords(const QString &connection, const QString &model, QByteArrayView body,
                       ByteSpan resultSpan, const nlohmann::json &records, const QString &position,
                       qint64 receivedMs, const ReadBefore &before = {});

// The milestone a state of a model maps onto (SPEC.md §2); empty when it maps onto none.
// An unknown state gives nullopt.
std::optional<QString> milestoneOfState(const QString &model, const QString &state);

} // namespace sightline::tryton
