#include "models/domain/document.h"

#include <array>

namespace sightline {
namespace {

struct KindName
{
    DocumentKind kind;
    QStringView name;
    QStringView label;
};

constexpr std::array kKindNames{
    KindName{DocumentKind::Quote, u"quote", u"Quote"},
    KindName{DocumentKind::SalesOrder, u"sales_order", u"Sales order"},
    KindName{DocumentKind::SalesOrderLine, u"sales_order_line", u"Sales order line"},
    KindName{DocumentKind::Release, u"release", u"Release"},
    KindName{DocumentKind::Shipment, u"shipment", u"Shipment"},
    KindName{DocumentKind::Invoice, u"invoice", u"Invoice"},
    KindName{DocumentKind::Return, u"return", u"Return"},
    KindName{DocumentKind::PurchaseOrder, u"purchase_order", u"Purchase order"},
    KindName{DocumentKind::PurchaseOrderLine, u"purchase_order_line", u"Purchase order line"},
    KindName{DocumentKind::PoAcknowledgment, u"po_acknowledgment", u"PO acknowledgment"},
    KindName{DocumentKind::Asn, u"asn", u"ASN"},
    KindName{DocumentKind::Receipt, u"receipt", u"Receipt"},
    KindName{DocumentKind::SupplierInvoice, u"supplier_invoice", u"Supplier invoice"},
};

const KindName &entry(DocumentKind kind)
{
    return kKindNames[static_cast<std::size_t>(kind)];
}

} // namespace

QString documentKindName(DocumentKind kind)
{
    return entry(kind).name.toString();
}

QString documentKindLabel(DocumentKind kind)
{
    return entry(kind).label.toString();
}

std::optional<DocumentKind> documentKindFromName(QStringView name)
{
    for (const auto &k : kKindNames) {
        if (k.name == name)
            return k.kind;
    }
    return std::nullopt;
}

QList<DocumentKind> allDocumentKinds()
{
    QList<DocumentKind> kinds;
    for (const auto &k : kKindNames)
        kinds.append(k.kind);
    return kinds;
}

QString foldIdentifier(QStringView value)
{
    return value.trimmed().toString().toCaseFolded();
}

} // namespace sightline
