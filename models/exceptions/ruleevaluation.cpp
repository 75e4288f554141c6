#include "models/exceptions/ruleevaluation.h"

#include "models/domain/milestone.h"
#include "models/trace/traceassessment.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <cmath>

namespace sightline {
namespace {

using Lines = QHash<int, QJsonObject>;

QString ms(const char16_t *name)
{
    return QString::fromUtf16(name);
}

// The rules over one trace: small helpers over the trace's documents, links and event data.
class TraceRules
{
public:
    TraceRules(const TraceFacts &facts, const ExceptionRules &rules, qint64 nowMs)
        : m_facts(facts), m_trace(facts.trace), m_rules(rules), m_now(nowMs)
    {}

    TraceEvaluation run()
    {
        messages();
        for (const TraceDocument &d : m_trace.documents) {
            switch (d.ref.kind) {
            case DocumentKind::PurchaseOrder:
                poNotAcknowledged(d);
                break;
            case DocumentKind::PoAcknowledgment:
                ackChanged(d);
                break;
            case DocumentKind::Asn:
                asnQuantity(d);
                break;
            case DocumentKind::Receipt:
                receiptTolerance(d);
                break;
            case DocumentKind::SupplierInvoice:
                invoiceMismatch(d);
                break;
            default:
                break;
            }
            duplicateContent(d);
            orphan(d);
        }
        statusConflicts();
        return std::move(m_out);
    }

private:
    // ----- facts -----

    QList<const TraceEvent *> eventsOf(qint64 documentId, QStringView milestoneName = {}) const
    {
        QList<const TraceEvent *> out;
        for (const TraceEvent &e : m_trace.events) {
            if (e.documentId == documentId && (milestoneName.isEmpty() || e.milestone == milestoneName))
                out.append(&e);
        }
        return out;
    }

    const TraceEvent *latest(qint64 documentId, QStringView milestoneName) const
    {
        const auto all = eventsOf(documentId, milestoneName);
        return all.isEmpty() ? nullptr : all.constLast();
    }

    QJsonObject dataOf(const TraceEvent *e) const { return e ? m_facts.data.value(e->rowId) : QJsonObject(); }

    static Lines linesOf(const QJsonObject &data)
    {
        Lines out;
        for (const QJsonValue &v : data.value(QStringLiteral("lines")).toArray()) {
            const QJsonObject line = v.toObject();
            out.insert(line.value(QStringLiteral("line")).toInt(), line);
        }
        return out;
    }

    // Documents this one links to (either direction), of a kind.
    QList<const TraceDocument *> linked(qint64 documentId, DocumentKind kind) const
    {
        QList<const TraceDocument *> out;
        for (const TraceLink &l : m_trace.links) {
            qint64 other = 0;
            if (l.fromId == documentId)
                other = l.toId;
            else if (l.toId == documentId)
                other = l.fromId;
            const TraceDocument *d = other ? m_trace.document(other) : nullptr;
            if (d && d->ref.kind == kind && !out.contains(d))
                out.append(d);
        }
        return out;
    }

    const TraceDocument *purchaseOrderOf(const TraceDocument &d) const
    {
        const auto direct = linked(d.id, DocumentKind::PurchaseOrder);
        if (!direct.isEmpty())
            return direct.constFirst();
        for (const TraceDocument *asn : linked(d.id, DocumentKind::Asn)) {
            const auto viaAsn = linked(asn->id, DocumentKind::PurchaseOrder);
            if (!viaAsn.isEmpty())
                return viaAsn.constFirst();
        }
        return nullptr;
    }

    // The PO's lines as created, with the acknowledged quantity where an acknowledgment says one.
    Lines poLines(const TraceDocument &po, bool withAcknowledged) const
    {
        Lines lines = linesOf(dataOf(latest(po.id, milestone::PoCreated)));
        if (!withAcknowledged)
            return lines;
        for (const TraceDocument *ack : linked(po.id, DocumentKind::PoAcknowledgment)) {
            const Lines acked = linesOf(dataOf(latest(ack->id, milestone::PoAcknowledged)));
            for (auto it = acked.cbegin(); it != acked.cend(); ++it) {
                if (lines.contains(it.key()) && it->contains(QStringLiteral("quantity")))
                    lines[it.key()].insert(QStringLiteral("quantity"), it->value(QStringLiteral("quantity")));
            }
        }
        return lines;
    }

    static bool beyond(double actual, double expected, double tolerancePercent)
    {
        return std::abs(actual - expected) > std::abs(expected) * tolerancePercent / 100.0 + 1e-9;
    }

    // ----- findings -----

    ExceptionItem finding(QStringView ruleName, const TraceDocument *doc, const TraceEvent *evidence,
                          const QString &detail) const
    {
        ExceptionItem f;
        f.rule = ruleName.toString();
        f.family = ms(kBusiness);
        f.type = m_rules.type(ruleName);
        f.severity = m_rules.severity(ruleName);
        f.traceId = m_trace.id;
        f.detail = detail;
        if (doc) {
            f.documentKind = documentKindName(doc->ref.kind);
            f.documentKey = doc->ref.key;
            f.conditionKey = f.rule % u'|' % f.documentKind % u'/' % f.documentKey;
            for (const TraceEvent *e : eventsOf(doc->id)) {
                if (f.partner.isEmpty())
                    f.partner = e->partner;
                if (f.warehouse.isEmpty())
                    f.warehouse = e->warehouse;
            }
        }
        // A document whose own events name no partner or warehouse: the trace's.
        for (const TraceEvent &e : m_trace.events) {
            if (f.partner.isEmpty())
                f.partner = e.partner;
            if (f.warehouse.isEmpty())
                f.warehouse = e.warehouse;
        }
        if (evidence) {
            f.eventRowId = evidence->rowId;
            f.system = evidence->system;
            f.firstSeenMs = f.lastSeenMs = evidence->receivedMs;
        }
        f.title =
            doc ? QStringLiteral("%1: %2 %3").arg(f.type, documentKindLabel(doc->ref.kind), doc->ref.key)
                : f.type;
        f.signature = f.rule % u'|' % (f.partner.isEmpty() ? f.system : f.partner);
        return f;
    }

    void add(ExceptionItem f)
    {
        if (m_rules.enabled(f.rule))
            m_out.findings.append(std::move(f));
    }

    void checkLater(qint64 atMs)
    {
        if (atMs > m_now && (m_out.nextCheckMs == 0 || atMs < m_out.nextCheckMs))
            m_out.nextCheckMs = atMs;
    }

    // ----- technical -----

    // A message whose latest word is a failure or a dead letter; a later delivery or replay clears it.
    void messages()
    {
        struct MessageState
        {
            const TraceEvent *failure = nullptr;
            bool deadLettered = false;
        };
        QHash<QString, MessageState> state;
        QStringList order;
        for (const TraceEvent &e : m_trace.events) {
            if (!e.milestone.startsWith(u"message."))
                continue;
            const QJsonObject data = m_facts.data.value(e.rowId);
            QString id = data.value(QStringLiteral("message_id")).toString();
            if (id.isEmpty())
                id = e.source % u'/' % e.eventId;
            if (!state.contains(id))
                order.append(id);
            MessageState &s = state[id];
            if (e.milestone == milestone::MessageFailed) {
                s.failure = &e;
            } else if (e.milestone == milestone::MessageDeadLettered) {
                s.failure = &e;
                s.deadLettered = true;
            } else if (e.milestone == milestone::MessageDelivered ||
                       e.milestone == milestone::MessageReplayed) {
                s = {};
            }
        }
        for (const QString &id : std::as_const(order)) {
            const MessageState &s = state[id];
            if (!s.failure)
                continue;
            add(messageFinding(id, *s.failure, s.deadLettered));
        }
    }

    ExceptionItem messageFinding(const QString &messageId, const TraceEvent &e, bool dead) const
    {
        const QStringView ruleName = dead ? rule::MessageDeadLettered : rule::MessageFailed;
        const TraceDocument *doc = m_trace.document(e.documentId);
        const QJsonObject data = m_facts.data.value(e.rowId);
        const QString destination = data.value(QStringLiteral("destination")).toString();
        const QString reason = data.value(QStringLiteral("reason")).toString();
        const int http = data.value(QStringLiteral("http_status")).toInt();
        ExceptionItem f =
            finding(ruleName, doc, &e,
                    QStringLiteral("Message %1 to %2%3: %4")
                        .arg(messageId, destination.isEmpty() ? QStringLiteral("?") : destination,
                             http ? QStringLiteral(" (HTTP %1)").arg(http) : QString(),
                             reason.isEmpty() ? e.status : reason));
        f.family = ms(kTechnical);
        f.conditionKey = QStringLiteral("message|") + messageId;
        f.rule = ruleName.toString();
        // The same cause: the same destination refusing for the same reason (numbers aside).
        QString cause = reason;
        cause.replace(QRegularExpression(QStringLiteral("\\d+")), QStringLiteral("#"));
        f.signature = f.rule % u'|' % destination % u'|' % cause;
        f.system = destination.isEmpty() ? e.system : destination;
        return f;
    }

    // ----- business rules -----

    void poNotAcknowledged(const TraceDocument &po)
    {
        const TraceEvent *sent = latest(po.id, milestone::PoSent);
        if (!sent)
            sent = latest(po.id, milestone::PoCreated);
        if (!sent || latest(po.id, milestone::PoAcknowledged))
            return;
        for (const TraceDocument *ack : linked(po.id, DocumentKind::PoAcknowledgment)) {
            if (!eventsOf(ack->id, milestone::PoAcknowledged).isEmpty())
                return;
        }
        if (latest(po.id, milestone::OrderCancelled))
            return;
        const qint64 due = sent->occurredMs + m_rules.ackWithinMs;
        if (m_now < due) {
            checkLater(due);
            return;
        }
        ExceptionItem f = finding(rule::PoNotAcknowledged, &po, sent,
                                  QStringLiteral("Sent %1 h ago, no acknowledgment within %2 h")
                                      .arg((m_now - sent->occurredMs) / 3600000)
                                      .arg(m_rules.ackWithinMs / 3600000));
        f.firstSeenMs = f.lastSeenMs = due;
        f.system = QStringLiteral("portal");
        add(std::move(f));
    }

    void ackChanged(const TraceDocument &ack)
    {
        const TraceEvent *e = latest(ack.id, milestone::PoAcknowledged);
        const TraceDocument *po = purchaseOrderOf(ack);
        if (!e || !po)
            return;
        const Lines ordered = poLines(*po, false);
        const Lines acked = linesOf(dataOf(e));
        QStringList problems;
        for (auto it = acked.cbegin(); it != acked.cend(); ++it) {
            const QJsonObject line = ordered.value(it.key());
            if (line.isEmpty())
                continue;
            const double want = line.value(QStringLiteral("quantity")).toDouble();
            const double got = it->value(QStringLiteral("quantity")).toDouble(want);
            if (std::abs(want - got) > 1e-9)
                problems.append(QStringLiteral("line %1: quantity %2 acknowledged as %3")
                                    .arg(it.key())
                                    .arg(want)
                                    .arg(got));
            const QDate promised =
                QDate::fromString(line.value(QStringLiteral("promised_date")).toString(), Qt::ISODate);
            const QDate slipped =
                QDate::fromString(it->value(QStringLiteral("promised_date")).toString(), Qt::ISODate);
            if (promised.isValid() && slipped.isValid() && promised.daysTo(slipped) > m_rules.ackDateSlipDays)
                problems.append(QStringLiteral("line %1: promised %2, now %3 (%4 days later)")
                                    .arg(it.key())
                                    .arg(promised.toString(Qt::ISODate), slipped.toString(Qt::ISODate))
                                    .arg(promised.daysTo(slipped)));
        }
        if (!problems.isEmpty())
            add(finding(rule::AckChanged, &ack, e, problems.join(QStringLiteral("; "))));
    }

    void asnQuantity(const TraceDocument &asn)
    {
        const TraceEvent *e = latest(asn.id, milestone::AsnReceived);
        const TraceDocument *po = purchaseOrderOf(asn);
        if (!e || !po)
            return;
        const Lines expected = poLines(*po, true);
        if (expected.isEmpty())
            return;
        QStringList problems;
        const Lines shipped = linesOf(dataOf(e));
        for (auto it = shipped.cbegin(); it != shipped.cend(); ++it) {
            if (!expected.contains(it.key()))
                continue;
            const double want = expected.value(it.key()).value(QStringLiteral("quantity")).toDouble();
            const double got = it->value(QStringLiteral("quantity")).toDouble();
            if (beyond(got, want, m_rules.asnQuantityTolerancePercent))
                problems.append(QStringLiteral("line %1: ASN %2, PO %3").arg(it.key()).arg(got).arg(want));
        }
        if (!problems.isEmpty())
            add(finding(rule::AsnQuantity, &asn, e, problems.join(QStringLiteral("; "))));
    }

    void receiptTolerance(const TraceDocument &receipt)
    {
        const TraceEvent *e = latest(receipt.id, milestone::ReceiptPosted);
        if (!e)
            return;
        Lines asnLines;
        for (const TraceDocument *asn : linked(receipt.id, DocumentKind::Asn))
            asnLines = linesOf(dataOf(latest(asn->id, milestone::AsnReceived)));
        QStringList problems;
        const Lines received = linesOf(dataOf(e));
        for (auto it = received.cbegin(); it != received.cend(); ++it) {
            double want = asnLines.value(it.key()).value(QStringLiteral("quantity")).toDouble(-1);
            if (want < 0)
                want = it->value(QStringLiteral("expected_quantity")).toDouble(-1);
            if (want < 0)
                continue;
            const double got = it->value(QStringLiteral("received_quantity"))
                                   .toDouble(it->value(QStringLiteral("quantity")).toDouble());
            if (beyond(got, want, m_rules.receiptTolerancePercent))
                problems.append(QStringLiteral("line %1: received %2, ASN %3 (beyond ±%4 %)")
                                    .arg(it.key())
                                    .arg(got)
                                    .arg(want)
                                    .arg(m_rules.receiptTolerancePercent));
        }
        if (!problems.isEmpty())
            add(finding(rule::ReceiptTolerance, &receipt, e, problems.join(QStringLiteral("; "))));
    }

    void invoiceMismatch(const TraceDocument &invoice)
    {
        const TraceEvent *e = latest(invoice.id, milestone::InvoiceReceived);
        const TraceDocument *po = purchaseOrderOf(invoice);
        if (!e || !po)
            return;
        const Lines ordered = poLines(*po, false);
        Lines received;
        for (const TraceDocument *receipt : linked(po->id, DocumentKind::Receipt))
            received = linesOf(dataOf(latest(receipt->id, milestone::ReceiptPosted)));
        QStringList problems;
        const Lines billed = linesOf(dataOf(e));
        for (auto it = billed.cbegin(); it != billed.cend(); ++it) {
            const QJsonObject poLine = ordered.value(it.key());
            const double price = it->value(QStringLiteral("unit_price")).toDouble();
            const double poPrice = poLine.value(QStringLiteral("unit_price")).toDouble(-1);
            if (poPrice >= 0 && beyond(price, poPrice, m_rules.invoicePriceTolerancePercent) &&
                std::abs(price - poPrice) > 0.005)
                problems.append(
                    QStringLiteral("line %1: price %2, PO %3").arg(it.key()).arg(price).arg(poPrice));
            const double qty = it->value(QStringLiteral("quantity")).toDouble();
            const double got =
                received.value(it.key()).value(QStringLiteral("received_quantity")).toDouble(-1);
            if (got >= 0 && beyond(qty, got, m_rules.invoiceQuantityTolerancePercent))
                problems.append(
                    QStringLiteral("line %1: invoiced %2, received %3").arg(it.key()).arg(qty).arg(got));
        }
        if (!problems.isEmpty())
            add(finding(rule::InvoiceMismatch, &invoice, e, problems.join(QStringLiteral("; "))));
    }

    // The same document announced twice (two event ids, one milestone) with different content.
    void duplicateContent(const TraceDocument &d)
    {
        static const QStringList contentMilestones{
            ms(milestone::OrderCreated), ms(milestone::PoCreated),     ms(milestone::PoAcknowledged),
            ms(milestone::AsnReceived),  ms(milestone::ReceiptPosted), ms(milestone::InvoiceReceived),
            ms(milestone::InvoicePosted)};
        for (const QString &m : contentMilestones) {
            const auto events = eventsOf(d.id, m);
            if (events.size() < 2)
                continue;
            const QByteArray first = contentOf(events.constFirst());
            for (const TraceEvent *e : events) {
                if (contentOf(e) == first)
                    continue;
                ExceptionItem f =
                    finding(rule::DuplicateContent, &d, e,
                            QStringLiteral("%1 arrived as %2 and again as %3 with different content")
                                .arg(m, events.constFirst()->eventId, e->eventId));
                f.conditionKey += u'|' + m;
                add(std::move(f));
                break;
            }
        }
    }

    QByteArray contentOf(const TraceEvent *e) const
    {
        QJsonObject data = dataOf(e);
        data.remove(QStringLiteral("status"));
        return QJsonDocument(data).toJson(QJsonDocument::Compact);
    }

    // A document that only others' events name, for longer than the grace period.
    void orphan(const TraceDocument &d)
    {
        if (!eventsOf(d.id).isEmpty())
            return;
        const TraceEvent *naming = nullptr;
        for (const TraceLink &l : m_trace.links) {
            if (l.toId != d.id)
                continue;
            for (const TraceEvent *e : eventsOf(l.fromId)) {
                if (!naming || e->receivedMs < naming->receivedMs)
                    naming = e;
            }
        }
        if (!naming)
            return;
        const qint64 due = naming->receivedMs + m_rules.orphanGraceMs;
        if (m_now < due) {
            checkLater(due);
            return;
        }
        ExceptionItem f = finding(rule::Orphan, &d, naming,
                                  QStringLiteral("Named by %1 (%2) but no system has reported it")
                                      .arg(naming->eventId, naming->milestone));
        f.partner = naming->partner;
        f.warehouse = naming->warehouse;
        f.signature = f.rule % u'|' % naming->system;
        add(std::move(f));
    }

    void statusConflicts()
    {
        const qint64 shifted = m_now - m_rules.conflictGraceMs + conflictGraceMs;
        const TraceAssessment now = assessTrace(m_trace, shifted);
        for (const StatusConflict &c : now.conflicts) {
            const TraceDocument *doc = m_trace.document(c.documentId);
            const TraceEvent *ahead = nullptr;
            for (const TraceEvent &e : m_trace.events) {
                if (e.rowId == c.aheadEventRowId)
                    ahead = &e;
            }
            ExceptionItem f = finding(rule::StatusConflict, doc, ahead, describeConflict(c));
            f.conditionKey += u'|' % c.aheadSystem % u'|' % c.behindSystem;
            f.signature = f.rule % u'|' % c.aheadSystem % u'>' % c.behindSystem;
            f.firstSeenMs = f.lastSeenMs = c.sinceMs + m_rules.conflictGraceMs;
            add(std::move(f));
        }
        // Conflicts still inside their grace period: look again when it ends.
        const TraceAssessment soon = assessTrace(m_trace, m_now + conflictGraceMs);
        for (const StatusConflict &c : soon.conflicts)
            checkLater(c.sinceMs + m_rules.conflictGraceMs);
    }

    const TraceFacts &m_facts;
    const Trace &m_trace;
    const ExceptionRules &m_rules;
    qint64 m_now;
    TraceEvaluation m_out;
};

} // namespace

TraceEvaluation evaluateTrace(const TraceFacts &facts, const ExceptionRules &rules, qint64 nowMs)
{
    return TraceRules(facts, rules, nowMs).run();
}

ExceptionItem quarantineFinding(qint64 quarantineId, const QuarantinedInput &input,
                                const ExceptionRules &rules)
{
    ExceptionItem f;
    f.rule = ms(rule::InputQuarantined);
    f.family = ms(kTechnical);
    f.type = rules.type(rule::InputQuarantined);
    f.severity = rules.severity(rule::InputQuarantined);
    f.conditionKey = QStringLiteral("quarantine|%1").arg(quarantineId);
    f.quarantineId = quarantineId;
    f.system = input.origin;
    f.title = QStringLiteral("%1: %2").arg(f.type, input.origin);
    f.detail = QStringLiteral("%1 at %2").arg(input.error, input.position);
    QString cause = input.error;
    cause.replace(QRegularExpression(QStringLiteral("\\d+")), QStringLiteral("#"));
    f.signature = f.rule % u'|' % cause;
    f.firstSeenMs = f.lastSeenMs = input.receivedMs;
    return f;
}

} // namespace sightline
