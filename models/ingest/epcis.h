#pragma once

#include "models/ingest/cloudevents.h"

#include <QByteArrayView>
#include <QString>

namespace sightline {

// Reads GS1 EPCIS 2.0 JSON documents (an EPCISDocument with epcisBody.eventList) and maps each
// event onto the canonical model:
// - identity: source "epcis", id = the eventID, or a SHA-256 of the event's bytes when it has none;
// - document and links from bizTransactionList: a despatch advice ("desadv") names an ASN, a "po"
//   a purchase order, an "inv" an invoice; the first of desadv, po, inv is the event's document,
//   the others are linked to it (the key is the identifier's last segment: ".../po/12345678" and
//   "urn:epcglobal:cbv:bt:0614141073467:1152" give "12345678" and "1152");
// - milestone from bizStep: shipping is asn.received when the event names a PO or a despatch
//   advice (the supplier's dispatch, seen by the buyer) and shipment.dispatched otherwise;
//   receiving is receipt.posted; other steps are kept without a milestone;
// - an errorDeclaration retracts the earlier event with the same eventID: the declaration is stored
//   as an event of its own ("<eventID>#error-declaration") and the earlier one stops counting.
// Each event keeps its exact bytes from the document. An event that breaks the standard's rules
// (type, eventTime, eventTimeZoneOffset, action, a bizStep that is neither a CBV step nor a URI)
// is quarantined with the reason and its position; the others in the document are kept.
class EpcisReader
{
public:
    explicit EpcisReader(QString origin) : m_origin(std::move(origin)) {}

    // True when bytes look like an EPCIS document (a JSON object naming EPCISDocument near its
    // start): worth handing to readDocument rather than to the CloudEvents reader.
    static bool looksLikeEpcis(QByteArrayView bytes);

    void readDocument(QByteArrayView bytes, qint64 receivedMs, ParsedInput &out) const;

private:
    QString m_origin;
};

} // namespace sightline
