#include "models/actions/corrections.h"

#include "models/exceptions/exceptionrules.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <algorithm>

namespace sightline {
namespace {

struct KindName
{
    CorrectionKind kind;
    const char *name;
};

constexpr KindName kNames[] = {{CorrectionKind::AcceptSupplierChange, "accept_supplier_change"},
                               {CorrectionKind::MovePromisedDate, "move_promised_date"},
                               {CorrectionKind::AdjustReceiptQuantity, "adjust_receipt_quantity"},
                               {CorrectionKind::CancelLine, "cancel_line"}};

QString encoded(const QString &key)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(key));
}

QString correctionKey(qint64 exceptionId, const ReplayAction &a)
{
    const QByteArray call = a.method + ' ' + a.connection.toUtf8() + ':' + a.path.toUtf8() + '\n' + a.body;
    const QByteArray key = QCryptographicHash::hash(
        QByteArray("sightline-correct:" + QByteArray::number(exceptionId) + ':' + call),
        QCryptographicHash::Sha256);
    return QStringLiteral("correct-") + QString::fromLatin1(key.toHex().left(40));
}

Result<QJsonObject> bodyFor(const Correction &c, const QString &target)
{
    QJsonObject body;
    switch (c.kind) {
    case CorrectionKind::AcceptSupplierChange:
        if (!c.quantity && !c.promisedDate.isValid())
            return Error{QStringLiteral("say the quantity or the promised date the supplier changed to")};
        break;
    case CorrectionKind::MovePromisedDate:
        if (!c.promisedDate.isValid())
            return Error{QStringLiteral("say the new promised date")};
        break;
    case CorrectionKind::AdjustReceiptQuantity:
        if (!c.quantity)
            return Error{QStringLiteral("say the received quantity")};
        break;
    case CorrectionKind::CancelLine:
        return body;
    }
    const bool receipt = c.kind == CorrectionKind::AdjustReceiptQuantity;
    if (receipt != (target == u"receipt"))
        return Error{receipt
                         ? QStringLiteral("a receipt quantity is adjusted on a receipt, not a %1").arg(target)
                         : QStringLiteral("quantities and dates are corrected on a purchase order, not a %1")
                               .arg(target)};
    if (c.quantity) {
        if (*c.quantity < 0)
            return Error{QStringLiteral("a quantity cannot be negative")};
        body.insert(QStringLiteral("quantity"), *c.quantity);
    }
    if (c.promisedDate.isValid() && c.kind != CorrectionKind::AdjustReceiptQuantity)
        body.insert(QStringLiteral("promised_date"), c.promisedDate.toString(Qt::ISODate));
    return body;
}

QString kindLabel(QStringView kind)
{
    if (kind == u"purchase_order")
        return QStringLiteral("purchase order");
    if (kind == u"sales_order")
        return QStringLiteral("sales order");
    return kind.toString();
}

CorrectionChoice choice(CorrectionKind kind, const RelatedDocument &doc)
{
    CorrectionChoice c{kind, doc.kind, doc.key, {}, false, false};
    const QString on = kindLabel(doc.kind) + u' ' + doc.key;
    switch (kind) {
    case CorrectionKind::AcceptSupplierChange:
        c.label = QStringLiteral("Accept the supplier's change on ") + on;
        c.needsQuantity = c.needsDate = true;
        break;
    case CorrectionKind::MovePromisedDate:
        c.label = QStringLiteral("Move the promised date of ") + on;
        c.needsDate = true;
        break;
    case CorrectionKind::AdjustReceiptQuantity:
        c.label = QStringLiteral("Adjust the received quantity of ") + on;
        c.needsQuantity = true;
        break;
    case CorrectionKind::CancelLine:
        c.label = QStringLiteral("Cancel a line of ") + on;
        break;
    }
    return c;
}

// The corrections each correctable document kind takes.
QList<CorrectionKind> kindsFor(QStringView documentKind)
{
    if (documentKind == u"purchase_order")
        return {CorrectionKind::AcceptSupplierChange, CorrectionKind::MovePromisedDate,
                CorrectionKind::CancelLine};
    if (documentKind == u"receipt")
        return {CorrectionKind::AdjustReceiptQuantity};
    if (documentKind == u"sales_order")
        return {CorrectionKind::CancelLine};
    return {};
}

// How strongly an exception's rule suggests a correction: lower comes first.
int suggestion(QStringView rule, CorrectionKind kind)
{
    if (rule == QStringView(rule::ReceiptTolerance))
        return kind == CorrectionKind::AdjustReceiptQuantity ? 0 : 1;
    if (rule == QStringView(rule::AckChanged) || rule == QStringView(rule::AsnQuantity))
        return kind == CorrectionKind::AcceptSupplierChange ? 0 : 1;
    if (rule == QStringView(rule::PoNotAcknowledged))
        return kind == CorrectionKind::MovePromisedDate ? 0 : 1;
    return 1;
}

} // namespace

QList<CorrectionChoice> correctionChoices(const ExceptionItem &item)
{
    QList<RelatedDocument> documents = item.traceDocuments;
    if (!item.documentKey.isEmpty() &&
        !documents.contains(RelatedDocument{item.documentKind, item.documentKey}))
        documents.prepend({item.documentKind, item.documentKey});
    QList<CorrectionChoice> out;
    for (const RelatedDocument &doc : std::as_const(documents)) {
        for (CorrectionKind kind : kindsFor(doc.kind))
            out.append(choice(kind, doc));
    }
    std::stable_sort(out.begin(), out.end(), [&item](const CorrectionChoice &a, const CorrectionChoice &b) {
        return suggestion(item.rule, a.kind) < suggestion(item.rule, b.kind);
    });
    return out;
}

QString correctionKindName(CorrectionKind kind)
{
    for (const KindName &k : kNames) {
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    }
    return {};
}

std::optional<CorrectionKind> correctionKindFromName(QStringView name)
{
    for (const KindName &k : kNames) {
        if (name == QLatin1String(k.name))
            return k.kind;
    }
    return std::nullopt;
}

QString correctionTarget(const Correction &correction, const ExceptionItem &item)
{
    return correction.documentKind.isEmpty() ? item.documentKind : correction.documentKind;
}

Result<ReplayAction> correctionActionFor(const ExceptionItem &item, const Correction &c)
{
    const QString target = correctionTarget(c, item);
    const QString key = c.documentKey.isEmpty() ? item.documentKey : c.documentKey;
    if (key.isEmpty())
        return Error{QStringLiteral("say which document to correct")};
    if (c.line < 1)
        return Error{QStringLiteral("say which line to correct (1, 2, ...)")};
    auto body = bodyFor(c, target);
    if (!body)
        return Error{body.error()};
    ReplayAction a;
    a.exceptionId = item.id;
    const QString line = QString::number(c.line);
    if (target == u"receipt") {
        a.connection = QStringLiteral("wms");
        a.path = QStringLiteral("receipts/%1/lines/%2/adjust").arg(encoded(key), line);
    } else if (target == u"purchase_order" ||
               (target == u"sales_order" && c.kind == CorrectionKind::CancelLine)) {
        a.connection = QStringLiteral("erp");
        const QString collection =
            target == u"sales_order" ? QStringLiteral("sales-orders") : QStringLiteral("purchase-orders");
        a.path = QStringLiteral("%1/%2/lines/%3/%4")
                     .arg(collection, encoded(key), line,
                          c.kind == CorrectionKind::CancelLine ? QStringLiteral("cancel")
                                                               : QStringLiteral("correct"));
    } else {
        return Error{QStringLiteral("a %1 cannot be corrected here; correct its purchase order or receipt")
                         .arg(target.isEmpty() ? QStringLiteral("document-less exception") : target)};
    }
    a.body = body->isEmpty() ? QByteArray("{}") : QJsonDocument(body.value()).toJson(QJsonDocument::Compact);
    a.idempotencyKey = correctionKey(item.id, a);
    return a;
}

QString correctionText(const Correction &c)
{
    QString text = correctionKindName(c.kind);
    if (!c.documentKey.isEmpty())
        text += QStringLiteral(" %1 %2").arg(c.documentKind, c.documentKey);
    text += QStringLiteral(" line %1").arg(c.line);
    if (c.quantity)
        text += QStringLiteral(" quantity %1").arg(*c.quantity);
    if (c.promisedDate.isValid())
        text += QStringLiteral(" promised %1").arg(c.promisedDate.toString(Qt::ISODate));
    return text;
}

} // namespace sightline
